using Fleet.Domain.Flags;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Flags;

/// <summary>Holds: raised by anyone or a rule, cleared only by biomed (or admin) with a note, once.</summary>
public class FlagTests
{
    private static Flag OpenFlag(FlagKind kind = FlagKind.MotionSickness) => new()
    {
        Id = Guid.NewGuid(),
        HeadsetId = "hs-1",
        Kind = kind,
        Note = "Patient reported FMS 12.",
        RaisedBy = "rules",
        RaisedAt = At(0),
    };

    [Fact]
    public void ANewFlagIsOpen()
    {
        var flag = OpenFlag();

        flag.Open.ShouldBeTrue();
        flag.ClearedAt.ShouldBeNull();
    }

    [Theory]
    [InlineData("biomed")]
    [InlineData("admin")]
    public void ABiomedicalEngineerOrAdministratorClearsAFlagWithANote(string role)
    {
        var flag = OpenFlag();

        flag.Clear(At(30), "eng.b", [role], "Lens clean, IPD recalibrated.").ShouldBeNull();

        flag.Open.ShouldBeFalse();
        flag.ClearedAt.ShouldBe(At(30));
        flag.ClearedBy.ShouldBe("eng.b");
        flag.ClearNote.ShouldBe("Lens clean, IPD recalibrated.");
    }

    [Theory]
    [InlineData("nurse")]
    [InlineData("scheduler")]
    [InlineData("infection_control")]
    public void OtherRolesMayNotClearAFlag(string role)
    {
        var flag = OpenFlag();

        var refusal = flag.Clear(At(30), "someone", [role], "Looks fine to me.");

        refusal.ShouldNotBeNull().Code.ShouldBe("forbidden");
        flag.Open.ShouldBeTrue();
    }

    [Fact]
    public void AUserWithoutRolesMayNotClearAFlag()
    {
        OpenFlag().Clear(At(30), "someone", [], "note").ShouldNotBeNull().Code.ShouldBe("forbidden");
    }

    [Fact]
    public void AnyOneAuthorisedRoleAmongSeveralIsEnough()
    {
        OpenFlag().Clear(At(30), "eng.b", ["nurse", "biomed"], "Inspected.").ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t")]
    public void ClearingAFlagNeedsAnInspectionNote(string note)
    {
        var flag = OpenFlag();

        var refusal = flag.Clear(At(30), "eng.b", ["biomed"], note);

        refusal.ShouldNotBeNull().Code.ShouldBe("validation_failed");
        flag.Open.ShouldBeTrue();
    }

    [Fact]
    public void AFlagIsClearedOnlyOnce()
    {
        var flag = OpenFlag();
        flag.Clear(At(30), "eng.b", ["biomed"], "First inspection.");

        var refusal = flag.Clear(At(40), "eng.c", ["biomed"], "Second inspection.");

        refusal.ShouldNotBeNull().Code.ShouldBe("conflict");
        flag.ClearedAt.ShouldBe(At(30));
        flag.ClearedBy.ShouldBe("eng.b");
        flag.ClearNote.ShouldBe("First inspection.");
    }

    [Fact]
    public void AnUnauthorisedUserLearnsOnlyThatTheyMayNotClear()
    {
        var flag = OpenFlag();
        flag.Clear(At(30), "eng.b", ["biomed"], "Inspected.");

        flag.Clear(At(40), "nurse.a", ["nurse"], "").ShouldNotBeNull().Code.ShouldBe("forbidden");
    }

    [Theory]
    [InlineData(FlagKind.MotionSickness, "motion_sickness", "motion_sickness_flag")]
    [InlineData(FlagKind.Damage, "damage", "damage_flag")]
    [InlineData(FlagKind.Maintenance, "maintenance", "maintenance")]
    [InlineData(FlagKind.Recall, "recall", "recall")]
    public void EachKindHasTheWireNameAndGateCodeOfTheApi(FlagKind kind, string wire, string gateCode)
    {
        kind.WireName().ShouldBe(wire);
        kind.GateCode().ShouldBe(gateCode);
        kind.GateMessage().ShouldNotBeNullOrWhiteSpace();
        FlagKinds.TryParse(wire, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("MotionSickness")]
    [InlineData("Damage")]
    [InlineData("broken")]
    public void AnUnknownKindDoesNotParse(string? wire)
    {
        FlagKinds.TryParse(wire, out _).ShouldBeFalse();
    }
}
