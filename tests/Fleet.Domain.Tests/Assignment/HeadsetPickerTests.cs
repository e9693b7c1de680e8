using Fleet.Domain.Assignment;

namespace Fleet.Domain.Tests.Assignment;

/// <summary>"Pick for me" (product.md, assignment gate): the best ready one, least worn first to level wear.</summary>
public class HeadsetPickerTests
{
    private static readonly GateResult Ready = new([], []);
    private static readonly GateResult ReadyWithWarning = new([], [new("battery_unknown", "No battery report.")]);
    private static readonly GateResult Blocked = new([new("not_clean", "Dirty.")], []);

    private static PickCandidate Candidate(string id, GateResult? gate = null, double lifetime = 0.1, int cleanings = 10, int? battery = 90) =>
        new(id, gate ?? Ready, lifetime, cleanings, battery);

    private static string[] Order(params PickCandidate[] candidates) => [.. HeadsetPicker.Rank(candidates).Select(c => c.HeadsetId)];

    [Fact]
    public void OnlyReadyHeadsetsAreOffered()
    {
        Order(Candidate("a", Blocked), Candidate("b"), Candidate("c", Blocked)).ShouldBe(["b"]);
    }

    [Fact]
    public void NoReadyHeadsetGivesNothing()
    {
        Order(Candidate("a", Blocked)).ShouldBeEmpty();
        Order().ShouldBeEmpty();
    }

    [Fact]
    public void AHeadsetWithoutWarningsIsPreferredEvenIfMoreWorn()
    {
        Order(Candidate("a", ReadyWithWarning, lifetime: 0.1), Candidate("b", Ready, lifetime: 0.8)).ShouldBe(["b", "a"]);
    }

    [Fact]
    public void TheLeastWornHeadsetComesFirst()
    {
        Order(Candidate("a", lifetime: 0.5), Candidate("b", lifetime: 0.2), Candidate("c", lifetime: 0.35)).ShouldBe(["b", "c", "a"]);
    }

    [Fact]
    public void LeastWornBeatsFullerBattery()
    {
        Order(Candidate("a", lifetime: 0.5, battery: 100), Candidate("b", lifetime: 0.2, battery: 60)).ShouldBe(["b", "a"]);
    }

    [Fact]
    public void FewerCleaningsBreakAnEqualLifetimeTie()
    {
        Order(Candidate("a", lifetime: 0.2, cleanings: 40), Candidate("b", lifetime: 0.2, cleanings: 12)).ShouldBe(["b", "a"]);
    }

    [Fact]
    public void LifetimeDifferencesBelowOneTenthOfAPercentCountAsEqual()
    {
        Order(Candidate("a", lifetime: 0.2001, cleanings: 5), Candidate("b", lifetime: 0.2004, cleanings: 3)).ShouldBe(["b", "a"]);
    }

    [Fact]
    public void TheFullerBatteryBreaksAnEqualWearTie()
    {
        Order(Candidate("a", battery: 60), Candidate("b", battery: 95)).ShouldBe(["b", "a"]);
    }

    [Fact]
    public void TheHeadsetIdBreaksAnyRemainingTieSoTheChoiceIsRepeatable()
    {
        Order(Candidate("hs-2"), Candidate("hs-10"), Candidate("hs-1")).ShouldBe(["hs-1", "hs-10", "hs-2"]);
        Order(Candidate("hs-1"), Candidate("hs-2"), Candidate("hs-10")).ShouldBe(["hs-1", "hs-10", "hs-2"]);
    }
}
