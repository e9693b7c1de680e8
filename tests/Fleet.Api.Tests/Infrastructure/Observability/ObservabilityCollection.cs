namespace Fleet.Api.Tests.Infrastructure.Observability;

/// <summary>
/// OpenTelemetry's meter provider listens to every meter named "Fleet.Api" in the process, so the APIs that other tests
/// run beside these would add their counts to the ones asserted here (tried: an app's /metrics showed another's counter).
/// One API per process in production; in the tests these run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilityCollection
{
    public const string Name = "Observability (alone)";
}
