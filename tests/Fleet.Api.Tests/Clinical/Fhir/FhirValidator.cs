using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Fhir;

public sealed record FhirMessage(string? Location, string? Severity, string? Message);

public sealed record FhirValidation(string? ResourceType, string? Id, bool Valid, IReadOnlyList<FhirMessage> Messages);

/// <summary>
/// Runs FHIR.js (npm "fhir", offline, bundled R4 profiles) through tests/fhir-validation/validate.js. A missing node or
/// missing node_modules fails the test with what to run; validation never skips.
/// </summary>
public static partial class FhirValidator
{
    public static string DefaultDirectory { get; } = Locate();

    public static async Task<IReadOnlyList<FhirValidation>> ValidateAsync(IReadOnlyList<JsonNode> resources, string? directory = null)
    {
        var dir = directory ?? DefaultDirectory;
        if (!File.Exists(Path.Combine(dir, "node_modules", "fhir", "package.json")))
            throw new InvalidOperationException(
                $"FHIR.js is not installed in {dir}: run `bash infra/install.sh test` (or `npm ci` in tests/fhir-validation). FHIR validation never skips.");

        var start = new ProcessStartInfo("node", "validate.js")
        {
            WorkingDirectory = dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Node.js ('node') is needed to validate FHIR with FHIR.js and was not found on PATH.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(new JsonArray(resources.Select(r => r.DeepClone()).ToArray()).ToJsonString());
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0) throw new InvalidOperationException($"validate.js exited with {process.ExitCode}: {await stderr}");
            return JsonSerializer.Deserialize<List<FhirValidation>>(await stdout, JsonSerializerOptions.Web)!;
        }
    }

    /// <summary>
    /// Valid for FHIR.js, and every warning is one FHIR.js cannot decide offline: a SNOMED CT code or one of Fleet's own
    /// codes, which it has no value sets for. A wrong code from an HL7 code system would still fail here.
    /// </summary>
    public static void ShouldBeValidFhir(this FhirValidation v)
    {
        var context = $"{v.ResourceType}/{v.Id}: {JsonSerializer.Serialize(v.Messages)}";
        v.Valid.ShouldBeTrue(context);
        v.Messages.Where(m => m.Severity != "info" && !OfflineTerminology().IsMatch(m.Message ?? "")).ShouldBeEmpty(context);
    }

    [GeneratedRegex(@"^Code "".*"" \((http://snomed\.info/sct|https://fleet\.example/[^)]*)\) not found in value set$")]
    private static partial Regex OfflineTerminology();

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fhir-validation");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new InvalidOperationException($"tests/fhir-validation was not found above {AppContext.BaseDirectory}.");
    }
}
