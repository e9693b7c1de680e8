using Fleet.Domain.Catalog;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Cleaning;

/// <summary>Cleaning validity (product.md hygiene rules 2, 3 and 5).</summary>
public class CleaningRulesTests
{
    private static CleaningFacts Facts(ProductClass cls = ProductClass.QuaternaryAmmonium, int contactSeconds = 60, int lastedSeconds = 60,
        bool sporicidalRequired = false, HeadsetModel? model = null, HygienePolicy? policy = null) => new()
    {
        Product = Product(cls, contactSeconds),
        Model = model ?? Model(),
        SporicidalRequired = sporicidalRequired,
        StartedAt = At(0),
        CompletedAt = At(0).AddSeconds(lastedSeconds),
        Policy = policy ?? Policy,
    };

    private static IEnumerable<string> CodesOf(IEnumerable<Refusal> problems) => problems.Select(p => p.Code);

    // ---- CheckProduct ----

    [Fact]
    public void AnActiveAllowedProductPassesTheProductCheck()
    {
        CleaningRules.CheckProduct(Product(ProductClass.QuaternaryAmmonium), Model(), sporicidalRequired: false).ShouldBeEmpty();
    }

    [Fact]
    public void AProductTheMakerDoesNotAllowIsRefused()
    {
        var problems = CleaningRules.CheckProduct(Product(ProductClass.Alcohol70), Model(ProductClass.QuaternaryAmmonium), false);

        CodesOf(problems).ShouldBe(["product_not_allowed_for_model"]);
        problems[0].Message.ShouldContain("Quest 3");
    }

    [Fact]
    public void AWithdrawnProductIsRefused()
    {
        var problems = CleaningRules.CheckProduct(Product(ProductClass.QuaternaryAmmonium, active: false), Model(), false);

        CodesOf(problems).ShouldBe(["product_inactive"]);
    }

    [Theory]
    [InlineData(ProductClass.QuaternaryAmmonium)]
    [InlineData(ProductClass.HydrogenPeroxide)]
    [InlineData(ProductClass.UvcCabinet)]
    public void AfterContactPrecautionsANonSporicidalProductIsRefused(ProductClass cls)
    {
        var problems = CleaningRules.CheckProduct(Product(cls), Model(), sporicidalRequired: true);

        CodesOf(problems).ShouldBe(["sporicidal_required"]);
    }

    [Fact]
    public void AfterContactPrecautionsHypochloriteIsAccepted()
    {
        CleaningRules.CheckProduct(Product(ProductClass.HypochloriteSporicidal), Model(), sporicidalRequired: true).ShouldBeEmpty();
    }

    [Fact]
    public void EveryProductProblemIsReportedAtOnce()
    {
        var problems = CleaningRules.CheckProduct(Product(ProductClass.Alcohol70, active: false), Model(ProductClass.QuaternaryAmmonium), true);

        CodesOf(problems).ShouldBe(["product_inactive", "product_not_allowed_for_model", "sporicidal_required"], ignoreOrder: true);
    }

    // ---- Evaluate: contact time ----

    [Theory]
    [InlineData(59, false)] // one second short of the label's wet contact time
    [InlineData(60, true)] // exactly the contact time
    [InlineData(61, true)]
    public void ACleaningMustLastAtLeastTheContactTime(int lastedSeconds, bool valid)
    {
        var problems = CleaningRules.Evaluate(Facts(contactSeconds: 60, lastedSeconds: lastedSeconds));

        if (valid) problems.ShouldBeEmpty();
        else CodesOf(problems).ShouldBe(["contact_time_not_met"]);
    }

    [Fact]
    public void ContactTimeIsTheProductsOwn()
    {
        // 3 min is enough for a 1 min quat wipe but not for a 5 min hypochlorite wipe.
        CleaningRules.Evaluate(Facts(ProductClass.QuaternaryAmmonium, contactSeconds: 60, lastedSeconds: 180)).ShouldBeEmpty();
        CodesOf(CleaningRules.Evaluate(Facts(ProductClass.HypochloriteSporicidal, contactSeconds: 300, lastedSeconds: 180)))
            .ShouldBe(["contact_time_not_met"]);
    }

    [Fact]
    public void ContactTimeMessageSaysHowLongItNeededAndHowLongItLasted()
    {
        var problem = CleaningRules.Evaluate(Facts(contactSeconds: 120, lastedSeconds: 95)).Single();

        problem.Message.ShouldBe("Quat wipe must stay wet for 120 s; this cleaning lasted 95 s.");
    }

    [Fact]
    public void ACleaningThatEndsBeforeItStartsDoesNotMeetTheContactTime()
    {
        var problem = CleaningRules.Evaluate(Facts(contactSeconds: 60, lastedSeconds: -30)).Single();

        problem.Code.ShouldBe("contact_time_not_met");
        problem.Message.ShouldEndWith("lasted 0 s.");
    }

    // ---- Evaluate: product and precautions ----

    [Fact]
    public void AFinishedCleaningWithAProductTheModelDoesNotAllowIsInvalid()
    {
        var problems = CleaningRules.Evaluate(Facts(ProductClass.Alcohol70, model: Model(ProductClass.QuaternaryAmmonium)));

        CodesOf(problems).ShouldBe(["product_not_allowed_for_model"]);
    }

    [Fact]
    public void AFinishedCleaningAfterContactPrecautionsWithoutASporicidalIsInvalid()
    {
        var problems = CleaningRules.Evaluate(Facts(ProductClass.QuaternaryAmmonium, sporicidalRequired: true));

        CodesOf(problems).ShouldBe(["sporicidal_required"]);
    }

    [Fact]
    public void AFinishedSporicidalCleaningAfterContactPrecautionsIsValid()
    {
        CleaningRules.Evaluate(Facts(ProductClass.HypochloriteSporicidal, contactSeconds: 300, lastedSeconds: 300, sporicidalRequired: true))
            .ShouldBeEmpty();
    }

    [Fact]
    public void EveryBrokenRuleIsReportedNotJustTheFirst()
    {
        var problems = CleaningRules.Evaluate(Facts(ProductClass.Alcohol70, contactSeconds: 60, lastedSeconds: 10,
            sporicidalRequired: true, model: Model(ProductClass.QuaternaryAmmonium)));

        CodesOf(problems).ShouldBe(["product_not_allowed_for_model", "sporicidal_required", "contact_time_not_met"], ignoreOrder: true);
    }

    // ---- Evaluate: UV-C (rule 3) ----

    [Fact]
    public void ACompletedUvCycleIsAValidCleaning()
    {
        var facts = Facts(ProductClass.UvcCabinet, contactSeconds: 300, lastedSeconds: 300) with { CycleCompleted = true };

        CleaningRules.Evaluate(facts).ShouldBeEmpty();
    }

    [Fact]
    public void AnIncompleteUvCycleIsInvalid()
    {
        var facts = Facts(ProductClass.UvcCabinet, contactSeconds: 300, lastedSeconds: 300) with { CycleCompleted = false };

        CodesOf(CleaningRules.Evaluate(facts)).ShouldBe(["uv_cycle_incomplete"]);
    }

    [Fact]
    public void AnInterruptedUvCycleReportsBothTheAbortAndTheShortExposure()
    {
        var facts = Facts(ProductClass.UvcCabinet, contactSeconds: 300, lastedSeconds: 100) with { CycleCompleted = false };

        CodesOf(CleaningRules.Evaluate(facts)).ShouldBe(["uv_cycle_incomplete", "contact_time_not_met"], ignoreOrder: true);
    }

    [Fact]
    public void WhenTheWardRequiresAWipeBeforeUvAUvCycleWithoutOneIsInvalid()
    {
        var facts = Facts(ProductClass.UvcCabinet, contactSeconds: 300, lastedSeconds: 300, policy: Policy with { RequireWipeBeforeUv = true })
            with { CycleCompleted = true, WipedSinceSoiled = false };

        CodesOf(CleaningRules.Evaluate(facts)).ShouldBe(["wipe_required_before_uv"]);
    }

    [Fact]
    public void WhenTheWardRequiresAWipeBeforeUvAUvCycleAfterAWipeIsValid()
    {
        var facts = Facts(ProductClass.UvcCabinet, contactSeconds: 300, lastedSeconds: 300, policy: Policy with { RequireWipeBeforeUv = true })
            with { CycleCompleted = true, WipedSinceSoiled = true };

        CleaningRules.Evaluate(facts).ShouldBeEmpty();
    }

    [Fact]
    public void WithoutTheWipePolicyAUvCycleAloneIsValid()
    {
        var facts = Facts(ProductClass.UvcCabinet, contactSeconds: 300, lastedSeconds: 300) with { CycleCompleted = true, WipedSinceSoiled = false };

        CleaningRules.Evaluate(facts).ShouldBeEmpty();
    }

    [Fact]
    public void TheWipeBeforeUvPolicyDoesNotApplyToAWipe()
    {
        var facts = Facts(ProductClass.QuaternaryAmmonium, policy: Policy with { RequireWipeBeforeUv = true }) with { WipedSinceSoiled = false };

        CleaningRules.Evaluate(facts).ShouldBeEmpty();
    }

    // ---- Late entries (rule 5) ----

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    [InlineData(72 * 60)] // exactly 72 h late: still accepted
    public void AnEntryUpTo72HoursLateIsAccepted(int minutesAgo)
    {
        CleaningRules.CheckEntryTime(At(0).AddMinutes(-minutesAgo), At(0), Policy).ShouldBeNull();
    }

    [Fact]
    public void AnEntryMoreThan72HoursLateIsRefused()
    {
        var refusal = CleaningRules.CheckEntryTime(At(0) - TimeSpan.FromHours(72) - TimeSpan.FromSeconds(1), At(0), Policy);

        refusal.ShouldNotBeNull().Code.ShouldBe("late_entry_window_exceeded");
    }

    [Fact]
    public void TheLateEntryWindowFollowsTheWardPolicy()
    {
        var policy = Policy with { LateEntryWindow = TimeSpan.FromHours(24) };

        CleaningRules.CheckEntryTime(At(0) - TimeSpan.FromHours(24), At(0), policy).ShouldBeNull();
        CleaningRules.CheckEntryTime(At(0) - TimeSpan.FromHours(25), At(0), policy)
            .ShouldNotBeNull().Code.ShouldBe("late_entry_window_exceeded");
    }

    [Theory]
    [InlineData(300, true)] // 5 min ahead: tolerated clock skew
    [InlineData(301, false)] // one second more: in the future
    public void AnEntryInTheFutureIsRefusedBeyondTheClockSkew(int secondsAhead, bool accepted)
    {
        var refusal = CleaningRules.CheckEntryTime(At(0).AddSeconds(secondsAhead), At(0), Policy);

        if (accepted) refusal.ShouldBeNull();
        else refusal.ShouldNotBeNull().Code.ShouldBe("validation_failed");
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(300, false)] // exactly the 5 min grace: on time
    [InlineData(301, true)]
    [InlineData(72 * 3600, true)]
    public void AnEntryIsMarkedLateWhenRecordedMoreThanFiveMinutesAfterItHappened(int secondsLater, bool late)
    {
        CleaningRules.IsLate(At(0), At(0).AddSeconds(secondsLater)).ShouldBe(late);
    }
}
