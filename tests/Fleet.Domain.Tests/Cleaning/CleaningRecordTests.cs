using Fleet.Domain.Catalog;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using static Fleet.Domain.Tests.Support.Given;

namespace Fleet.Domain.Tests.Cleaning;

/// <summary>Cleaning records are finished exactly once and never edited (product.md, "Cleaning record").</summary>
public class CleaningRecordTests
{
    private static CleaningRecord InProgress() => new()
    {
        Id = Guid.NewGuid(),
        HeadsetId = "hs-1",
        ProductId = "p-quat",
        Method = ProductClass.QuaternaryAmmonium,
        ContactSeconds = 60,
        Operator = "nurse.a",
        StartedAt = At(0),
        SporicidalRequired = false,
        RecordedAt = At(0),
    };

    [Fact]
    public void ANewRecordIsInProgress()
    {
        var r = InProgress();

        r.Status.ShouldBe(CleaningStatus.InProgress);
        r.Valid.ShouldBeFalse();
        r.CompletedAt.ShouldBeNull();
    }

    [Fact]
    public void FinishingWithoutProblemsIsValid()
    {
        var r = InProgress();

        r.Finish(At(2), facialInterfaceReplaced: true, note: "ok", problems: [], late: false);

        r.Status.ShouldBe(CleaningStatus.Valid);
        r.Valid.ShouldBeTrue();
        r.CompletedAt.ShouldBe(At(2));
        r.FacialInterfaceReplaced.ShouldBeTrue();
        r.Note.ShouldBe("ok");
        r.InvalidCodes.ShouldBeNull();
        r.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void FinishingWithProblemsIsInvalidAndKeepsEveryReason()
    {
        var r = InProgress();

        r.Finish(At(2), false, null,
            [new("contact_time_not_met", "Too short."), new("sporicidal_required", "Needs chlorine.")], late: false);

        r.Status.ShouldBe(CleaningStatus.Invalid);
        r.InvalidCodeList.ShouldBe(["contact_time_not_met", "sporicidal_required"]);
        r.Problems.ShouldBe([new Refusal("contact_time_not_met", "Too short."), new Refusal("sporicidal_required", "Needs chlorine.")]);
    }

    [Fact]
    public void AReasonWithLineBreaksStaysWithItsOwnCode()
    {
        var r = InProgress();

        r.Finish(At(2), false, null, [new("a", "first\nline"), new("b", "second")], late: false);

        r.Problems.ShouldBe([new Refusal("a", "first line"), new Refusal("b", "second")]);
    }

    [Fact]
    public void ALateEntryIsMarkedLate()
    {
        var r = InProgress();

        r.Finish(At(2), false, null, [], late: true);

        r.Late.ShouldBeTrue();
    }

    [Fact]
    public void ARecordIsFinishedOnlyOnce()
    {
        var r = InProgress();
        r.Finish(At(2), false, null, [], late: false);

        Should.Throw<InvalidOperationException>(() => r.Finish(At(3), false, null, [new("x", "y")], late: false));

        r.Status.ShouldBe(CleaningStatus.Valid);
        r.CompletedAt.ShouldBe(At(2));
    }

    [Fact]
    public void AbandoningAnInProgressRecordRecordsWhenAndWhy()
    {
        var r = InProgress();

        r.Abandon(At(1), "Superseded by a new cleaning.");

        r.Status.ShouldBe(CleaningStatus.Abandoned);
        r.CompletedAt.ShouldBe(At(1));
        r.Note.ShouldBe("Superseded by a new cleaning.");
        r.Valid.ShouldBeFalse();
    }

    [Fact]
    public void AbandoningAFinishedRecordChangesNothing()
    {
        var r = InProgress();
        r.Finish(At(2), false, "done", [], late: false);

        r.Abandon(At(3), "too late");

        r.Status.ShouldBe(CleaningStatus.Valid);
        r.CompletedAt.ShouldBe(At(2));
        r.Note.ShouldBe("done");
    }

    [Fact]
    public void AnAbandonedRecordCannotBeFinishedAfterwards()
    {
        var r = InProgress();
        r.Abandon(At(1), "marked dirty");

        Should.Throw<InvalidOperationException>(() => r.Finish(At(2), false, null, [], late: false));
        r.Status.ShouldBe(CleaningStatus.Abandoned);
    }
}
