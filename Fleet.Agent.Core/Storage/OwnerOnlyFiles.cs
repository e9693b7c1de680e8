namespace Fleet.Agent.Core.Storage;

/// <summary>
/// The outbox holds session events with patient references: its directory is created 0700 and its file 0600 whatever
/// the process's umask. SQLite gives the -wal and -journal files the mode of the database file.
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(path);
        else System.IO.Directory.CreateDirectory(path, Directory);
    }

    /// <summary>Creates the file empty and owner-only if it does not exist yet; an existing file keeps its mode.</summary>
    public static void CreateFile(string path)
    {
        if (System.IO.File.Exists(path)) return;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = File;
        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (System.IO.File.Exists(path))
        {
            // Created by someone else in between: opening it below decides whether it is ours.
        }
    }
}
