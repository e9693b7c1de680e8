using System.Globalization;
using Hl7.Fhir.Model;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>The code systems and identifier systems Fleet writes, and short builders for the Firely datatypes it uses.</summary>
public static class FhirTypes
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

    /// <summary>A FHIR instant in UTC with the precision Fleet recorded (the SDK keeps dateTime values as text).</summary>
    public static string Instant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static CodeableConcept Concept(Coding? coding, string? text = null)
    {
        var c = new CodeableConcept { Text = text };
        if (coding is not null) c.Coding.Add(coding);
        return c;
    }

    public static Coding Code(string system, string code, string? display = null) => new(system, code, display);

    public static ResourceReference Reference(string type, string id) => new($"{type}/{id}");

    /// <summary>
    /// Fleet's patient references are opaque hospital identifiers. When one is a valid FHIR id it is the Patient's id;
    /// otherwise (it holds '_' or ':') it can only be a logical reference by identifier.
    /// </summary>
    public static ResourceReference Patient(string patientRef) => IsId(patientRef)
        ? Reference("Patient", patientRef)
        : new ResourceReference { Type = "Patient", Identifier = new Identifier(PatientRefSystem, patientRef) };

    /// <summary>A Fleet user (or device, or rule): Fleet has no Practitioner resources, so a logical reference by identifier.</summary>
    public static ResourceReference User(string name) => new() { Identifier = new Identifier(UserSystem, name), Display = name };

    public static Period Period(DateTimeOffset start, DateTimeOffset? end) =>
        new() { Start = Instant(start), End = end is { } e ? Instant(e) : null };

    public static Quantity Quantity(double value, string unit, string? ucum = null) => new()
    {
        Value = (decimal)value,
        Unit = unit,
        System = ucum is null ? null : Ucum,
        Code = ucum,
    };
}
