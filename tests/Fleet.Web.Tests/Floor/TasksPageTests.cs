using Fleet.Contracts.Api;
using Fleet.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Shouldly;
using static Microsoft.Playwright.Assertions;

namespace Fleet.Web.Tests.Floor;

/// <summary>Issue 13: the tasks page lists what is due on a ward, in words and on the ward's clock, and closes a deep clean.</summary>
[Collection(SiteCollection.Name)]
public sealed class TasksPageTests(FleetSite site)
{
    private const string Zone = "Asia/Tokyo";

    /// <summary>A ward's tasks: its deep clean (overdue) and one cleaning due per headset.</summary>
    private sealed record Scene(string Ward, string Name, List<string> Headsets, TaskView DeepClean);

    // A deep clean opens at the API's next job run, up to a minute away: both wards wait for the same run. One is
    // only read; the other's deep clean is marked done by the test that needs it.
    private static Task<(Scene Read, Scene ToMarkDone)>? scenes;
    private static readonly Lock gate = new();

    private Task<(Scene Read, Scene ToMarkDone)> ScenesAsync()
    {
        lock (gate) return scenes ??= SetUpAsync(site);
    }

    private static async Task<(Scene, Scene)> SetUpAsync(FleetSite site)
    {
        var read = await site.NewWardWithTasksAsync(2, Zone);
        var toMarkDone = await site.NewWardWithTasksAsync(1, Zone);
        var (readDeepClean, doneDeepClean) = (site.WaitForTaskAsync(read.Ward, TaskKinds.DeepClean), site.WaitForTaskAsync(toMarkDone.Ward, TaskKinds.DeepClean));
        return (new Scene(read.Ward, read.Name, read.Headsets, await readDeepClean), new Scene(toMarkDone.Ward, toMarkDone.Name, toMarkDone.Headsets, await doneDeepClean));
    }

    [Fact]
    public Task TheTasksPageListsAWardsOpenAndOverdueTasksInDueOrderInWordsOnTheWardsClock() => site.WithLogsAsync(async () =>
    {
        var (scene, _) = await ScenesAsync();
        var cleanings = new List<TaskView>();
        foreach (var headset in scene.Headsets) cleanings.Add(await site.WaitForTaskAsync(scene.Ward, TaskKinds.CleaningDue, headset));

        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = "Tasks" }).ClickAsync();
        await Expect(nurse.GetByRole(AriaRole.Heading, new() { Name = "Tasks", Level = 1 })).ToBeVisibleAsync();
        await Expect(nurse.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await nurse.GetByLabel("Ward", new() { Exact = true }).SelectOptionAsync(scene.Ward);
        await Expect(nurse).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/tasks\\?ward={scene.Ward}$"));

        var items = nurse.Locator("#tasks li[data-task]");
        await Expect(items).ToHaveCountAsync(3);
        var deepClean = items.Nth(0);
        await Expect(deepClean).ToHaveAttributeAsync("data-task", scene.DeepClean.Id.ToString());
        await Expect(deepClean.Locator(".task-kind")).ToHaveTextAsync("Daily deep clean");
        await Expect(deepClean.Locator(".overdue-badge")).ToHaveTextAsync("⚠ Overdue");
        await Expect(deepClean.Locator(".due")).ToContainTextAsync("It was due " + WardClockSteps.OnClock(scene.DeepClean.DueAt, Zone));
        await Expect(deepClean.GetByRole(AriaRole.Button, new() { Name = "Mark done" })).ToBeVisibleAsync();

        for (var i = 0; i < cleanings.Count; i++)
        {
            var (item, task) = (items.Nth(i + 1), cleanings[i]);
            var headset = task.HeadsetId!;
            await Expect(item.Locator(".task-kind")).ToHaveTextAsync("Cleaning due");
            await Expect(item.GetByRole(AriaRole.Link, new() { Name = headset, Exact = true })).ToHaveAttributeAsync("href", $"/headsets/{headset}");
            await Expect(item.Locator(".due time")).ToHaveTextAsync(WardClockSteps.OnClock(task.DueAt, Zone));
            await Expect(item).Not.ToContainTextAsync("Overdue");
            await Expect(item.Locator(".closes")).ToContainTextAsync($"Closes when a valid cleaning of {headset} is recorded");
            await Expect(item.GetByRole(AriaRole.Link, new() { Name = $"Clean {headset}" })).ToHaveAttributeAsync("href", $"/cleaning/{headset}");
            await Expect(item.GetByRole(AriaRole.Button, new() { Name = "Mark done" })).ToHaveCountAsync(0);
        }
        await Expect(nurse.Locator("#tasks")).Not.ToContainTextAsync("cleaning_due");
        await Expect(nurse.Locator("#tasks")).Not.ToContainTextAsync("deep_clean");
    });

    [Fact]
    public Task ANurseMarksTheDeepCleanDoneWithANoteAndItLeavesTheListButAnEmptyNoteIsRefusedNextToTheField() => site.WithLogsAsync(async () =>
    {
        var (_, scene) = await ScenesAsync();
        var nurse = await site.TabletPageAsync("nurse");
        await nurse.GotoAsync($"/tasks?ward={scene.Ward}");
        var item = nurse.Locator($"[data-task='{scene.DeepClean.Id}']");
        var note = item.GetByLabel("What was done (required)");
        var markDone = item.GetByRole(AriaRole.Button, new() { Name = "Mark done" });
        await Expect(markDone).ToBeEnabledAsync();

        await markDone.ClickAsync();
        await Expect(item.Locator(".field-error")).ToContainTextAsync("The note is required.");
        await Expect(note).ToHaveAttributeAsync("aria-invalid", "true");
        (await site.OpenTasksAsync(scene.Ward)).ShouldContain(t => t.Id == scene.DeepClean.Id);
        await FleetSite.ScreenshotAsync(nurse, "tasks-note-refused");

        await note.FillAsync("Every headset: lenses, strap and facial interface wiped with the sporicidal wipe.");
        // Submitted twice before the page can answer the first (a double tap on a slow link): a second completion
        // would be refused as already done, and say so.
        await item.Locator("form").EvaluateAsync("form => { form.requestSubmit(); form.requestSubmit(); }");
        await Expect(FleetSite.Confirmation(nurse)).ToContainTextAsync($"Daily deep clean of {scene.Name} marked done.");
        await Expect(item).ToHaveCountAsync(0);
        await Expect(nurse.Locator("#tasks li[data-task]")).ToHaveCountAsync(1);
        await Expect(nurse.Locator(".field-error, .problem")).ToHaveCountAsync(0);

        var done = await site.GetAsync<List<TaskView>>("nurse", $"/api/v1/tasks?ward={scene.Ward}&status=done");
        done.Single().Id.ShouldBe(scene.DeepClean.Id);
        done.Single().CloseReason.ShouldBe("Every headset: lenses, strap and facial interface wiped with the sporicidal wipe.");
        done.Single().ClosedBy.ShouldBe("user:nurse");
    });

    [Fact]
    public Task ARoleThatMayNotMarkTasksDoneReadsThemWithoutTheForm() => site.WithLogsAsync(async () =>
    {
        var (scene, _) = await ScenesAsync();
        foreach (var user in new[] { "scheduler", "infection" })
        {
            var page = await site.SignedInPageAsync(user);
            await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Pages" }).GetByRole(AriaRole.Link, new() { Name = "Tasks" })).ToBeVisibleAsync();
            await page.GotoAsync($"/tasks?ward={scene.Ward}");
            await Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
            var item = page.Locator($"[data-task='{scene.DeepClean.Id}']");
            await Expect(item.Locator(".task-kind")).ToHaveTextAsync("Daily deep clean");
            await Expect(item).ToContainTextAsync("A nurse, biomedical engineer or administrator marks it done");
            await Expect(item.Locator("form, textarea")).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mark done" })).ToHaveCountAsync(0);
            await page.Context.CloseAsync();
        }
    });

    [Fact]
    public Task AWardWithNothingDueSaysSoPlainly() => site.WithLogsAsync(async () =>
    {
        var (ward, name, _) = await site.NewWardWithTasksAsync(0, Zone);
        var nurse = await site.SignedInPageAsync("nurse");
        await nurse.GotoAsync($"/tasks?ward={ward}");
        await Expect(nurse.Locator("#tasks .empty")).ToHaveTextAsync($"Nothing is due: {name} has no open or overdue tasks.");
        await Expect(nurse.Locator("#tasks li")).ToHaveCountAsync(0);
    });
}
