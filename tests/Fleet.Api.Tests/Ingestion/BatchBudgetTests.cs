using Fleet.Api.Ingestion;
using Shouldly;

namespace Fleet.Api.Tests.Ingestion;

/// <summary>The ingestion batch's size budget: batches kept to about the hold time, so a person waits less behind them.</summary>
public sealed class BatchBudgetTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(20);

    [Fact]
    public void BeforeAnyBatchAndWithoutAHoldTimeABatchMayTakeTheMaximum()
    {
        new BatchBudget(1000, Hold).Messages.ShouldBe(1000);
        var off = new BatchBudget(1000, TimeSpan.Zero);
        off.Took(1000, TimeSpan.FromSeconds(1));
        off.Messages.ShouldBe(1000);
    }

    [Fact]
    public void AFullBatchThatHeldTheLockTooLongShrinksTheNextToTheHoldTime()
    {
        var budget = new BatchBudget(1000, Hold);
        budget.Took(1000, TimeSpan.FromMilliseconds(100)); // 0.1 ms a message
        budget.Messages.ShouldBe(200);
        budget.Took(200, TimeSpan.FromMilliseconds(20));
        budget.Messages.ShouldBe(200);
    }

    [Fact]
    public void ASmallBatchTeachesNothingBecauseItIsMostlyTheFixedCostOfACommit()
    {
        var budget = new BatchBudget(1000, Hold);
        budget.Took(5, TimeSpan.FromMilliseconds(50));
        budget.Messages.ShouldBe(1000);
    }

    [Fact]
    public void EvenVerySlowMessagesLeaveAtLeastTheMinimumPerBatch()
    {
        var budget = new BatchBudget(1000, Hold);
        budget.Took(1000, TimeSpan.FromSeconds(10));
        budget.Messages.ShouldBe(BatchBudget.MinMessages);
    }

    [Fact]
    public void WhenMessagesGetCheaperAgainTheBatchesGrowBackToTheMaximum()
    {
        var budget = new BatchBudget(1000, Hold);
        budget.Took(1000, TimeSpan.FromMilliseconds(200));
        budget.Messages.ShouldBe(100);
        for (var i = 0; i < 20 && budget.Messages < 1000; i++) budget.Took(budget.Messages, TimeSpan.FromMilliseconds(budget.Messages * 0.01));
        budget.Messages.ShouldBe(1000);
    }
}
