namespace Fleet.Api.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>
/// <c>Fleet:Database:Provider</c> (Sqlite, the default, or Postgres) and <c>Fleet:Database:ConnectionString</c>.
/// Without a connection string SQLite uses fleet.db in the data directory; PostgreSQL has no default and refuses to start.
/// </summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    public static DatabaseOptions From(IConfiguration config, string dataDirectory)
    {
        var section = config.GetSection("Fleet:Database");
        var name = section["Provider"];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(name)) provider = DatabaseProvider.Sqlite;
        else if (!Enum.TryParse(name, ignoreCase: true, out provider) || !Enum.IsDefined(provider))
            throw new InvalidOperationException($"Fleet:Database:Provider is '{name}'; use Sqlite or Postgres.");
        var connectionString = section["ConnectionString"] ?? config.GetConnectionString("Fleet");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
                throw new InvalidOperationException("Fleet:Database:Provider is Postgres but Fleet:Database:ConnectionString is not set.");
            connectionString = $"Data Source={Path.Combine(dataDirectory, "fleet.db")}";
        }
        return new(provider, connectionString);
    }
}
