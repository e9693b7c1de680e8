using System.Text.Json;
using Fleet.Contracts;

namespace Fleet.Agent.Core.Shown;

/// <summary>Writes the shown state as JSON for a headset app to read; never half-written (temp file + rename).</summary>
public static class StatusFile
{
    public static void Write(string path, ShownState state)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, state, FleetJson.Options);
            stream.Flush(flushToDisk: true);
        }
        // rename(2) replaces the old file atomically: a reader sees the old state or the new one, never a mix.
        File.Move(temp, full, overwrite: true);
    }

    public static ShownState? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<ShownState>(File.ReadAllBytes(path), FleetJson.Options) : null;
}
