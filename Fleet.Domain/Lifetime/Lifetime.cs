namespace Fleet.Domain.Lifetime;

public enum LifetimeDimension
{
    ServiceYears,
    BatteryCycles,
    FacialInterfaceCleanings,
    HousingCleanings,
}

/// <summary>One dimension of wear: how much is used of how much is rated.</summary>
public sealed record LifetimePart(LifetimeDimension Dimension, double Used, double Rated)
{
    public double Fraction => Rated <= 0 ? 0 : Used / Rated;
}

public sealed record LifetimeInput
{
    public required DateTimeOffset RegisteredAt { get; init; }
    public required double ServiceLifeYears { get; init; }
    public required int BatteryCycles { get; init; }
    public required int BatteryCycleRating { get; init; }
    public required int FacialInterfaceCleanings { get; init; }
    public required int FacialInterfaceRating { get; init; }
    public required int TotalCleanings { get; init; }
    public required int HousingCleaningRating { get; init; }
    public required DateTimeOffset Now { get; init; }
}

/// <summary>Lifetime consumed = the largest of the dimensions (product.md, device health and lifetime).</summary>
public static class LifetimeCalculator
{
    public const double DaysPerYear = 365.25;

    public static IReadOnlyList<LifetimePart> Parts(LifetimeInput i) =>
    [
        new(LifetimeDimension.ServiceYears, Math.Max(0, (i.Now - i.RegisteredAt).TotalDays / DaysPerYear), i.ServiceLifeYears),
        new(LifetimeDimension.BatteryCycles, i.BatteryCycles, i.BatteryCycleRating),
        new(LifetimeDimension.FacialInterfaceCleanings, i.FacialInterfaceCleanings, i.FacialInterfaceRating),
        new(LifetimeDimension.HousingCleanings, i.TotalCleanings, i.HousingCleaningRating),
    ];

    public static double Consumed(LifetimeInput i) => Parts(i).Max(p => p.Fraction);

    /// <summary>
    /// When a dimension reaches 100 % at the rate seen over a recent window: null when it is not being used up.
    /// A dimension already past 100 % is forecast at <paramref name="now"/>.
    /// </summary>
    public static DateTimeOffset? Forecast(LifetimePart part, double usedPerDay, DateTimeOffset now)
    {
        if (part.Rated <= 0) return null;
        var remaining = part.Rated - part.Used;
        if (remaining <= 0) return now;
        if (usedPerDay <= 0) return null;
        var days = remaining / usedPerDay;
        return days > 365 * 100 ? null : now.AddDays(days);
    }
}
