using Fleet.Api;
using Fleet.Api.Broker;
using Fleet.Api.Catalog;
using Fleet.Api.Cleaning;
using Fleet.Api.Clinical;
using Fleet.Api.Commands;
using Fleet.Api.Flags;
using Fleet.Api.Headsets;
using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Changes;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Hardening;
using Fleet.Api.Infrastructure.Health;
using Fleet.Api.Infrastructure.Observability;
using Fleet.Api.Infrastructure.OpenApi;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Ingestion;
using Fleet.Api.Operations;
using Fleet.Api.Seeding;
using Fleet.Api.Sessions;
using Fleet.Api.Stream;
using Fleet.Api.SystemStatus;
using Fleet.Api.Telemetry;
using Fleet.Api.Users;

DataAtRest.CreateFilesOwnerOnly();
var builder = WebApplication.CreateBuilder(args).LogRequestsWithoutQueries();
var dataDirectory = DatabaseSetup.DataDirectory(builder.Configuration);
var database = DatabaseOptions.From(builder.Configuration, dataDirectory);

builder.Services
    .AddFleetDatabase(builder.Configuration, dataDirectory)
    .AddFleetProblems()
    .AddFleetAuth(builder.Configuration, dataDirectory, database)
    .AddFleetFeatures()
    .AddFleetOperations(builder.Configuration, database)
    .AddClinical(builder.Configuration)
    .AddFleetHealth()
    .AddClusterChanges(database)
    .AddFleetObservability(builder.Configuration)
    .AddFleetSystemStatus()
    .AddFleetBroker(builder.Configuration)
    .AddFleetIngestion()
    .AddFleetCommands()
    .AddFleetOpenApi();

var app = builder.Build();
if (args.Contains(DatabaseSetup.SchemaScriptFlag)) { Console.WriteLine(app.Services.ModelSchemaScript()); return; }
await app.Services.MigrateFleetDatabaseAsync();
await app.SeedFleetAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseFleetHardening();
app.UseForwardedHeaders();
app.UseHttpLogging();
app.UseAuthentication();
app.UseTokenRevocation();
app.UseRateLimiter();
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
app.MapFleetHealth();
app.MapFleetMetrics();
app.MapSystemApi();
app.MapUsersApi();
app.MapCatalogApi();
app.MapHeadsetApi();
app.MapCleaningApi();
app.MapSessionsApi();
app.MapFlagsApi();
app.MapTelemetryApi();
app.MapEnrollmentApi();
app.MapIngestApi();
app.MapCommandsApi();
app.MapOperationsApi();
app.MapAuditApi();
app.MapStreamApi();
app.MapClinicalApi();

app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
