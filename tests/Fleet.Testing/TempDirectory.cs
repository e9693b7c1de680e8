namespace Fleet.Testing;

/// <summary>A fresh directory under /tmp that is removed when the test is done.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("fleet-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a process still holds a file; /tmp is cleaned eventually */ }
        catch (UnauthorizedAccessException) { }
    }
}
