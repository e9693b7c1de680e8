namespace Fleet.Agent.Run;

/// <summary>What <c>Fleet.Agent run</c> adds to <see cref="Core.AgentOptions"/> (same configuration section, <c>Agent</c>).</summary>
public sealed class RunOptions
{
    /// <summary><c>simulated</c> (a docked virtual headset) or <c>adb</c> (a real headset on the charging cart's USB).</summary>
    public string Probes { get; set; } = "simulated";

    public AdbSettings Adb { get; set; } = new();

    /// <summary>Model of the simulated headset (quest-3, pico-4e, vive-focus-3).</summary>
    public string SimulatedModel { get; set; } = "quest-3";

    public sealed class AdbSettings
    {
        /// <summary>The headset's adb serial (<c>adb devices</c>).</summary>
        public string? Serial { get; set; }

        public string Path { get; set; } = "adb";
    }
}
