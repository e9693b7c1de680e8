using System.Globalization;
using Fleet.Api.Flags;
using Fleet.Domain.Flags;
using Fleet.Domain.Sessions;
using Hl7.Fhir.Model;
using Flag = Fleet.Domain.Flags.Flag;
using static Fleet.Api.Clinical.Fhir.FhirTypes;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>
/// Motion sickness as FHIR R4 AdverseEvent. One event, one resource: a discomfort report is the event; a hold that the
/// report rules raised because of reports is not a second event (its reports already are). A hold a person raised, or
/// the session-performance rule raised, is its own event, attributed to the patient of the session it follows.
/// </summary>
public static class AdverseEventResource
{
    public const string MotionSicknessCode = "37031009";

    private static readonly string[] ReportRules = [MotionSicknessRules.RuleSingleReport, MotionSicknessRules.RuleRepeatedReports];

    /// <summary>Whether the hold is an adverse event of its own (rather than the consequence of reports).</summary>
    public static bool IsOwnEvent(Flag f) => f.Kind == FlagKind.MotionSickness && !ReportRules.Contains(f.RaisedByRule);

    /// <summary>The session a hold follows: open when it was raised, or ended within the window before (as for reports).</summary>
    public static Session? SessionFor(Flag f, IEnumerable<Session> sessions) => sessions
        .Where(s => s.HeadsetId == f.HeadsetId && s.StartedAt <= f.RaisedAt
            && (s.EndedAt == null || s.EndedAt >= f.RaisedAt - FlagService.ImplicitSessionWindow))
        .MaxBy(s => s.StartedAt);

    public static AdverseEvent FromReport(ComfortReport r)
    {
        var what = r.Fms is { } fms
            ? string.Create(CultureInfo.InvariantCulture, $"Motion sickness after a VR session: FMS {fms} of {ComfortReport.MaxFms}.")
            : "Motion sickness after a VR session.";
        return Build(r.Id, new Identifier(ComfortReportSystem, r.Id.ToString()), AdverseEvent.AdverseEventActuality.Actual, r.PatientRef!, r.HeadsetId, r.At,
            r.ReportedBy, Fms.Severity(r.Fms), Append(what, r.Note));
    }

    /// <summary>A hold from session telemetry says the hardware could make people sick, not that it did: a potential event.</summary>
    public static AdverseEvent FromFlag(Flag f, Session session, int? worstFms)
    {
        var actuality = f.RaisedByRule == MotionSicknessRules.RuleSessionPerformance
            ? AdverseEvent.AdverseEventActuality.Potential : AdverseEvent.AdverseEventActuality.Actual;
        return Build(f.Id, new Identifier(FlagSystem, f.Id.ToString()), actuality, session.PatientRef, f.HeadsetId, f.RaisedAt,
            f.RaisedBy, Fms.Severity(worstFms), Append("Headset held for motion sickness.", f.Note));
    }

    private static AdverseEvent Build(Guid id, Identifier identifier, AdverseEvent.AdverseEventActuality actuality, string patientRef,
        string headsetId, DateTimeOffset at, string recorder, string severity, string text) => new()
    {
        Id = id.ToString(),
        Identifier = identifier,
        Actuality = actuality,
        Category = [Concept(Code(AdverseEventCategory, "product-problem", "Product Problem"))],
        Event = Concept(Code(Snomed, MotionSicknessCode, "Motion sickness"), text),
        Subject = Patient(patientRef),
        Date = Instant(at),
        RecordedDate = Instant(at),
        Recorder = User(recorder),
        Severity = Concept(Code(AdverseEventSeverity, severity, CultureInfo.InvariantCulture.TextInfo.ToTitleCase(severity))),
        SuspectEntity = [new AdverseEvent.SuspectEntityComponent { Instance = Reference("Device", headsetId) }],
    };

    private static string Append(string text, string? note) => string.IsNullOrWhiteSpace(note) ? text : $"{text} {note}";
}
