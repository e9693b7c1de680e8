namespace Fleet.Mqtt.Tests.Support;

internal static class Timeouts
{
    /// <summary>Generous bound for anything that should happen "now"; only reached when a test fails.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);
}
