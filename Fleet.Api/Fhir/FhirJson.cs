using System.Globalization;
using System.Text.Json.Nodes;

namespace Fleet.Api.Fhir;

/// <summary>The code systems and identifier systems Fleet writes, and small builders for FHIR R4 datatypes.</summary>
public static class FhirJson
{
    public const string ContentType = "application/fhir+json";
    public const string FleetBase = "https://fleet.example/fhir";
    public const string Snomed = "http://snomed.info/sct";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string DeviceStatusReason = "http://terminology.hl7.org/CodeSystem/device-status-reason";
    public const string AdverseEventCategory = "http://terminology.hl7.org/CodeSystem/adverse-event-category";
    public const string AdverseEventSeverity = "http://terminology.hl7.org/CodeSystem/adverse-event-severity";

    // Fleet's own systems: identifiers and codes that only Fleet assigns.
    public const string SerialSystem = FleetBase + "/sid/serial";
    public const string AssetTagSystem = FleetBase + "/sid/asset-tag";
    public const string PatientRefSystem = FleetBase + "/sid/patient-ref";
    public const string UserSystem = FleetBase + "/sid/user";
    public const string SessionSystem = FleetBase + "/sid/session";
    public const string ComfortReportSystem = FleetBase + "/sid/comfort-report";
    public const string FlagSystem = FleetBase + "/sid/flag";
    public const string CleaningSystem = FleetBase + "/sid/cleaning";
    public const string HoldSystem = FleetBase + "/CodeSystem/hold";
    public const string PropertySystem = FleetBase + "/CodeSystem/device-property";
    public const string TaskInputSystem = FleetBase + "/CodeSystem/cleaning-input";
    public const string ProblemSystem = FleetBase + "/CodeSystem/problem";

    /// <summary>FHIR's id type: what may follow <c>Patient/</c> in a literal reference.</summary>
    public static bool IsId(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');

    public static string Instant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Coding(string system, string code, string? display = null)
    {
        var c = new JsonObject { ["system"] = system, ["code"] = code };
        if (display is not null) c["display"] = display;
        return c;
    }

    public static JsonObject Concept(JsonObject? coding, string? text = null)
    {
        var c = new JsonObject();
        if (coding is not null) c["coding"] = new JsonArray(coding);
        if (text is not null) c["text"] = text;
        return c;
    }

    public static JsonObject Identifier(string system, string value) => new() { ["system"] = system, ["value"] = value };

    public static JsonObject Reference(string type, string id, string? display = null)
    {
        var r = new JsonObject { ["reference"] = $"{type}/{id}" };
        if (display is not null) r["display"] = display;
        return r;
    }

    /// <summary>
    /// Fleet's patient references are opaque hospital identifiers. When one is a valid FHIR id it is the Patient's id;
    /// otherwise (it holds '_' or ':') it can only be a logical reference by identifier.
    /// </summary>
    public static JsonObject Patient(string patientRef) => IsId(patientRef)
        ? Reference("Patient", patientRef)
        : new JsonObject { ["type"] = "Patient", ["identifier"] = Identifier(PatientRefSystem, patientRef) };

    /// <summary>A Fleet user (or device, or rule): Fleet has no Practitioner resources, so a logical reference by identifier.</summary>
    public static JsonObject User(string name) => new() { ["identifier"] = Identifier(UserSystem, name), ["display"] = name };

    public static JsonObject Period(DateTimeOffset start, DateTimeOffset? end)
    {
        var p = new JsonObject { ["start"] = Instant(start) };
        if (end is { } e) p["end"] = Instant(e);
        return p;
    }

    public static JsonObject Quantity(double value, string unit, string? ucum = null)
    {
        var q = new JsonObject { ["value"] = value, ["unit"] = unit };
        if (ucum is not null)
        {
            q["system"] = Ucum;
            q["code"] = ucum;
        }
        return q;
    }
}
