using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Api.Users;
using Fleet.Domain;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Seeding;

public static class StartupSeeding
{
    /// <summary>
    /// Development seeds demo data. Anywhere else nothing is seeded and Fleet refuses to start until an administrator
    /// exists or is configured (Fleet:Bootstrap:AdminUser and AdminPassword, e.g. from the environment or a secret store).
    /// </summary>
    public static async Task SeedFleetAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<FleetDb>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var write = await sp.GetRequiredService<Writes>().BeginAsync(ct);
        var audit = sp.GetRequiredService<AuditTrail>();

        if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Fleet:SeedDevelopmentData", true))
        {
            await DevelopmentSeed.SeedAsync(db, audit, now, ct);
        }
        else if (!await db.Set<UserAccount>().AnyAsync(u => u.Active && u.Roles.Contains(Roles.Admin), ct))
        {
            var user = app.Configuration["Fleet:Bootstrap:AdminUser"];
            var password = app.Configuration["Fleet:Bootstrap:AdminPassword"];
            if (string.IsNullOrWhiteSpace(user) || string.IsNullOrEmpty(password))
                throw new InvalidOperationException(
                    "Refusing to start: there is no administrator. Set Fleet__Bootstrap__AdminUser and Fleet__Bootstrap__AdminPassword " +
                    "(from a secret store, not the repository) for the first start.");
            var weakness = password == DevelopmentSeed.DevelopmentPassword ? "must not be the development password." : Passwords.Weakness(password);
            if (weakness is not null)
                throw new InvalidOperationException($"Refusing to start: the bootstrap administrator password {weakness}");
            db.Add(new UserAccount { Username = user, PasswordHash = Passwords.Hash(password), Roles = [Roles.Admin], CreatedAt = now });
            audit.Record(Actor.System("bootstrap"), "user.created", "user", user, "Bootstrap administrator from configuration.", new { roles = new[] { Roles.Admin } });
        }
        await write.CommitAsync(ct);
    }
}
