using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Hl7.Fhir.Utility;
using Shouldly;

namespace Fleet.Api.Tests.Clinical.Fhir;

/// <summary>
/// The Firely validator (Firely.Fhir.Validation.R4), offline: the base R4 profiles come from the specification.zip of
/// Hl7.Fhir.Specification.Data.R4 in the test output, codes are checked against the value sets in it, and nothing is
/// fetched. JSON is read by the SDK first (what it cannot read is an error too), then validated against its base profile.
/// </summary>
public static partial class FirelyValidator
{
    private static readonly Lazy<Validator> Instance = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(resolver, new LocalTerminologyService(resolver));
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly FhirJsonDeserializer Reader = new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));

    public static IReadOnlyList<FhirValidation> Validate(IEnumerable<JsonNode> resources) => resources.Select(Validate).ToList();

    public static FhirValidation Validate(JsonNode json)
    {
        var messages = new List<FhirMessage>();
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        var reader = new Utf8JsonReader(bytes);
        Reader.TryDeserializeResource(ref reader, out var resource, out var problems);
        messages.AddRange(problems.Select(p => new FhirMessage((p as ExtendedCodedException)?.InstancePath, "error", p.Message)));
        if (resource is not null)
        {
            var outcome = Instance.Value.Validate(resource);
            messages.AddRange(outcome.Issue.Select(i => new FhirMessage(
                i.Expression.FirstOrDefault() ?? i.Location.FirstOrDefault(),
                i.Severity?.GetLiteral(),
                i.Details?.Text ?? i.Diagnostics)));
        }
        var valid = !messages.Any(m => m.Severity is "error" or "fatal");
        return new FhirValidation(json["resourceType"]?.GetValue<string>(), json["id"]?.GetValue<string>(), valid, messages);
    }

    /// <summary>
    /// Valid for the Firely validator, and every warning is one it cannot decide offline: a code from a code system the
    /// specification does not carry (mime types, BCP 13), so the value set cannot be expanded without a terminology server.
    /// </summary>
    public static void ShouldBeValidForFirely(this FhirValidation v)
    {
        var context = $"{v.ResourceType}/{v.Id}: {JsonSerializer.Serialize(v.Messages)}";
        v.Valid.ShouldBeTrue(context);
        v.Messages.Where(m => m.Severity is not "information" && !OfflineTerminology().IsMatch(m.Message ?? "")).ShouldBeEmpty(context);
    }

    [GeneratedRegex(@"The ValueSet expander cannot find codesystem 'urn:ietf:bcp:13'")]
    private static partial Regex OfflineTerminology();
}
