namespace Fleet.Domain.Flags;

/// <summary>A discomfort report after a session: a Fast Motion Sickness Scale score (0-20) and/or free text.</summary>
public sealed class ComfortReport
{
    public const int MaxFms = 20;

    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }
    public Guid? SessionId { get; init; }
    public string? PatientRef { get; init; }
    public int? Fms { get; init; }
    public string? Note { get; init; }
    public required string ReportedBy { get; init; }
    public required DateTimeOffset At { get; init; }
    public Guid? FlagId { get; set; }
}

/// <summary>FHIR AdverseEvent severity from the FMS score.</summary>
public static class Fms
{
    public static string Severity(int? fms) => fms switch
    {
        null => "mild",
        < 5 => "mild",
        < 10 => "moderate",
        _ => "severe",
    };
}
