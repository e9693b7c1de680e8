namespace Fleet.Testing.Processes;

/// <summary>Where the repository and the built programs are, seen from a test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration the tests themselves were built in.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The built entry assembly of a project in the repository, e.g. <c>Program("Fleet.Api")</c>.</summary>
    public static string Program(string project)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", project + ".dll");
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} is missing: build the solution ({Configuration}) before running these tests.");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fleet.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find Fleet.sln above " + AppContext.BaseDirectory);
    }
}
