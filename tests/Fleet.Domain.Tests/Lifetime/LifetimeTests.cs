using Fleet.Domain.Lifetime;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Lifetime;

/// <summary>Lifetime consumed = the largest dimension; forecast each to 100 % (product.md, "Device health and lifetime").</summary>
public class LifetimeTests
{
    /// <summary>Ratings: 4 years, 500 battery cycles, 100 facial-interface cleanings, 2000 housing cleanings. Nothing used.</summary>
    private static LifetimeInput Fresh() => new()
    {
        RegisteredAt = T0,
        ServiceLifeYears = 4,
        BatteryCycles = 0,
        BatteryCycleRating = 500,
        FacialInterfaceCleanings = 0,
        FacialInterfaceRating = 100,
        TotalCleanings = 0,
        HousingCleaningRating = 2000,
        Now = T0,
    };

    private static LifetimePart Part(LifetimeInput input, LifetimeDimension d) => LifetimeCalculator.Parts(input).Single(p => p.Dimension == d);

    [Fact]
    public void ANewHeadsetHasConsumedNothing()
    {
        LifetimeCalculator.Consumed(Fresh()).ShouldBe(0);
    }

    [Fact]
    public void EveryDimensionIsReported()
    {
        LifetimeCalculator.Parts(Fresh()).Select(p => p.Dimension).ShouldBe(Enum.GetValues<LifetimeDimension>(), ignoreOrder: true);
    }

    [Fact]
    public void ServiceYearsCountFromRegistration()
    {
        var input = Fresh() with { Now = T0.AddDays(365.25) };

        Part(input, LifetimeDimension.ServiceYears).Used.ShouldBe(1, tolerance: 1e-9);
        LifetimeCalculator.Consumed(input).ShouldBe(0.25, tolerance: 1e-9);
    }

    [Fact]
    public void ServiceYearsNeverGoNegative()
    {
        Part(Fresh() with { Now = T0.AddDays(-10) }, LifetimeDimension.ServiceYears).Used.ShouldBe(0);
    }

    [Fact]
    public void BatteryCyclesCountAgainstTheirRating()
    {
        LifetimeCalculator.Consumed(Fresh() with { BatteryCycles = 400 }).ShouldBe(0.8, tolerance: 1e-9);
    }

    [Fact]
    public void FacialInterfaceCleaningsCountAgainstTheirRating()
    {
        LifetimeCalculator.Consumed(Fresh() with { FacialInterfaceCleanings = 100 }).ShouldBe(1.0, tolerance: 1e-9);
    }

    [Fact]
    public void TotalCleaningsCountAgainstTheHousingRating()
    {
        LifetimeCalculator.Consumed(Fresh() with { TotalCleanings = 500 }).ShouldBe(0.25, tolerance: 1e-9);
    }

    [Fact]
    public void ConsumedIsTheLargestDimensionNotTheSumOrAverage()
    {
        var input = Fresh() with
        {
            Now = T0.AddDays(365.25), // 0.25
            BatteryCycles = 150, // 0.30
            FacialInterfaceCleanings = 60, // 0.60
            TotalCleanings = 200, // 0.10
        };

        LifetimeCalculator.Consumed(input).ShouldBe(0.6, tolerance: 1e-9);
    }

    [Fact]
    public void ConsumedMayExceedOneHundredPercent()
    {
        LifetimeCalculator.Consumed(Fresh() with { BatteryCycles = 750 }).ShouldBe(1.5, tolerance: 1e-9);
    }

    [Fact]
    public void ADimensionWithoutARatingIsIgnored()
    {
        var input = Fresh() with { BatteryCycles = 900, BatteryCycleRating = 0, TotalCleanings = 200 };

        Part(input, LifetimeDimension.BatteryCycles).Fraction.ShouldBe(0);
        LifetimeCalculator.Consumed(input).ShouldBe(0.1, tolerance: 1e-9);
    }

    // ---- Forecast ----

    [Fact]
    public void ForecastIsWhenTheRemainingIsUsedUpAtTheRecentRate()
    {
        var part = new LifetimePart(LifetimeDimension.HousingCleanings, Used: 1000, Rated: 2000);

        LifetimeCalculator.Forecast(part, usedPerDay: 20, At(0)).ShouldBe(At(0).AddDays(50));
    }

    [Fact]
    public void ForecastHandlesFractionalDays()
    {
        var part = new LifetimePart(LifetimeDimension.BatteryCycles, Used: 499, Rated: 500);

        LifetimeCalculator.Forecast(part, usedPerDay: 2, At(0)).ShouldBe(At(0).AddHours(12));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(600)]
    public void ADimensionAlreadyUsedUpIsForecastNow(double used)
    {
        var part = new LifetimePart(LifetimeDimension.BatteryCycles, used, Rated: 500);

        LifetimeCalculator.Forecast(part, usedPerDay: 0, At(0)).ShouldBe(At(0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ADimensionNotBeingUsedUpHasNoForecast(double rate)
    {
        var part = new LifetimePart(LifetimeDimension.HousingCleanings, Used: 10, Rated: 2000);

        LifetimeCalculator.Forecast(part, rate, At(0)).ShouldBeNull();
    }

    [Fact]
    public void ADimensionWithoutARatingHasNoForecast()
    {
        LifetimeCalculator.Forecast(new LifetimePart(LifetimeDimension.BatteryCycles, 10, 0), 5, At(0)).ShouldBeNull();
    }

    [Fact]
    public void AForecastMoreThanACenturyAwayIsNotGiven()
    {
        var part = new LifetimePart(LifetimeDimension.HousingCleanings, Used: 0, Rated: 2000);

        LifetimeCalculator.Forecast(part, usedPerDay: 2000.0 / 36_500, At(0)).ShouldNotBeNull();
        LifetimeCalculator.Forecast(part, usedPerDay: 2000.0 / 36_600, At(0)).ShouldBeNull();
    }
}
