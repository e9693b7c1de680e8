namespace Fleet.Domain.Flags;

/// <summary>The automatic motion-sickness flag rules of product.md, with their defaults.</summary>
public sealed record MotionSicknessPolicy
{
    public int SingleReportFms { get; init; } = 10;
    public int RepeatedReportFms { get; init; } = 5;
    public TimeSpan RepeatedWindow { get; init; } = TimeSpan.FromDays(14);
    public double DroppedFramePercent { get; init; } = 5;
    public int TrackingLostCount { get; init; } = 3;

    public static MotionSicknessPolicy Default { get; } = new();
}

public static class MotionSicknessRules
{
    public const string RuleSingleReport = "fms_single_report";
    public const string RuleRepeatedReports = "fms_repeated_reports";
    public const string RuleSessionPerformance = "session_performance";

    /// <summary>
    /// Whether <paramref name="report"/> (already among <paramref name="recent"/> or not) should raise a flag.
    /// Reports without a patient reference count as different patients: when in doubt, hold the headset.
    /// </summary>
    public static (string Rule, string Note)? AfterReport(ComfortReport report, IEnumerable<ComfortReport> recent, MotionSicknessPolicy policy)
    {
        if (report.Fms >= policy.SingleReportFms)
            return (RuleSingleReport, $"Automatic hold: a patient reported FMS {report.Fms} (>= {policy.SingleReportFms}).");

        if (report.Fms < policy.RepeatedReportFms || report.Fms is null) return null;
        var others = recent
            .Where(r => r.Id != report.Id && r.HeadsetId == report.HeadsetId)
            .Where(r => r.Fms >= policy.RepeatedReportFms)
            .Where(r => (report.At - r.At).Duration() <= policy.RepeatedWindow)
            .Where(r => r.PatientRef is null || report.PatientRef is null || r.PatientRef != report.PatientRef);
        return others.Any()
            ? (RuleRepeatedReports, $"Automatic hold: two patients reported FMS >= {policy.RepeatedReportFms} within {policy.RepeatedWindow.TotalDays:0} days.")
            : null;
    }

    /// <summary>The rule behind an automatic hold in words ("one report FMS 10 or more"), from the same policy that applied it.</summary>
    public static string? Describe(string? rule, MotionSicknessPolicy policy) => rule switch
    {
        RuleSingleReport => $"one report FMS {policy.SingleReportFms} or more",
        RuleRepeatedReports => $"two patients FMS {policy.RepeatedReportFms} or more within {policy.RepeatedWindow.TotalDays:0} days",
        RuleSessionPerformance => $"more than {policy.DroppedFramePercent} % dropped frames or {policy.TrackingLostCount} tracking losses in a session",
        null => null,
        _ => rule.Replace('_', ' '),
    };

    /// <summary>Hardware faults that make people sick: dropped frames or lost tracking in a session.</summary>
    public static (string Rule, string Note)? AfterSession(double? droppedFramePercent, int? trackingLostCount, MotionSicknessPolicy policy)
    {
        if (droppedFramePercent > policy.DroppedFramePercent)
            return (RuleSessionPerformance, $"Automatic hold: {droppedFramePercent:0.#} % dropped frames in the last session (> {policy.DroppedFramePercent} %).");
        if (trackingLostCount > policy.TrackingLostCount)
            return (RuleSessionPerformance, $"Automatic hold: tracking was lost {trackingLostCount} times in the last session (> {policy.TrackingLostCount}).");
        return null;
    }
}
