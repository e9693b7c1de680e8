using Fleet.Contracts;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fleet.Client.Tests;

/// <summary>What each kind of answer from the API becomes, through the shared client over real HTTP.</summary>
public sealed class FleetApiClientTests
{
    [Fact]
    public async Task AValidationProblemBecomesAnExceptionWithItsCodeMessageAndFieldErrors()
    {
        await using var api = await LocalApi.StartAsync(app => app.MapPost("/api/v1/sessions", () => Results.ValidationProblem(
            new Dictionary<string, string[]> { ["patientRef"] = ["is required."], ["sessionMinutes"] = ["must be between 5 and 240."] },
            detail: "Some fields are not right.", extensions: new Dictionary<string, object?> { ["code"] = "validation_failed" })));

        var refused = await Should.ThrowAsync<FleetApiException>(() => Client(api).AssignAsync(new AssignRequest("HS-1", null, "icu", 0, null)));

        refused.Problem.Status.ShouldBe(400);
        refused.Problem.Code.ShouldBe("validation_failed");
        refused.Problem.Message.ShouldBe("Some fields are not right.");
        refused.Problem.Errors["patientRef"].ShouldBe(["is required."]);
        refused.Problem.Errors["sessionMinutes"].ShouldBe(["must be between 5 and 240."]);
    }

    [Fact]
    public async Task AGateRefusalBecomesAnExceptionWithItsReasons()
    {
        await using var api = await LocalApi.StartAsync(app => app.MapPost("/api/v1/sessions", () => Results.Problem(
            statusCode: 409, title: "Not ready", detail: "HS-1 cannot be assigned.", extensions: new Dictionary<string, object?>
            {
                ["code"] = "not_ready",
                ["reasons"] = new[] { new Reason("not_clean", "It has not been cleaned since its last patient."), new Reason("battery_low", "The battery is at 12 %.") },
            })));

        var refused = await Should.ThrowAsync<FleetApiException>(() => Client(api).AssignAsync(new AssignRequest("HS-1", "MRN-1", "icu", 30, null)));

        refused.Problem.Status.ShouldBe(409);
        refused.Problem.Code.ShouldBe("not_ready");
        refused.Message.ShouldBe("HS-1 cannot be assigned.");
        refused.Problem.Reasons.ShouldBe([new Reason("not_clean", "It has not been cleaned since its last patient."), new Reason("battery_low", "The battery is at 12 %.")]);
    }

    [Fact]
    public async Task A401ToACallWithATokenIsAnExpiredSession()
    {
        await using var api = await LocalApi.StartAsync(app => app.MapGet("/api/v1/wards", () => Results.Unauthorized()));

        var expired = await Should.ThrowAsync<SessionExpiredException>(() => Client(api).WardsAsync());

        expired.Problem.Status.ShouldBe(401);
        expired.Problem.Code.ShouldBe("session_expired");
    }

    [Fact]
    public async Task ARefusedSignInIsTheApisProblemNotAnExpiredSession()
    {
        await using var api = await LocalApi.StartAsync(app => app.MapPost("/api/v1/auth/token", () => Results.Problem(statusCode: 401,
            detail: "The user name or password is wrong, or the account is disabled.", extensions: new Dictionary<string, object?> { ["code"] = "unauthorized" })));

        var refused = await Should.ThrowAsync<FleetApiException>(() => Client(api).SignInAsync("nurse", "wrong"));

        refused.ShouldNotBeOfType<SessionExpiredException>();
        refused.Problem.Code.ShouldBe("unauthorized");
        refused.Problem.Message.ShouldBe("The user name or password is wrong, or the account is disabled.");
    }

    [Fact]
    public async Task AnApiThatDoesNotAnswerIsThe503UnreachableProblem()
    {
        Uri stopped;
        await using (var api = await LocalApi.StartAsync(_ => { })) stopped = api.Address;
        using var http = new HttpClient { BaseAddress = stopped };

        var unreachable = await Should.ThrowAsync<FleetApiException>(() => new FleetApiClient(http).HeadsetsAsync());

        unreachable.Problem.Status.ShouldBe(503);
        unreachable.Problem.Code.ShouldBe("unreachable");
        unreachable.Problem.Message.ShouldStartWith($"The Fleet API at {stopped} does not answer");
    }

    [Fact]
    public async Task AnInvalidCleaningVerdictIsReturnedWithItsProblems()
    {
        var id = Guid.NewGuid();
        await using var api = await LocalApi.StartAsync(app => app.MapPost("/api/v1/cleanings/{id:guid}/complete", (Guid id) =>
            Results.Json(InvalidVerdict(id), FleetJson.Options, statusCode: 422)));

        var verdict = await Client(api).CompleteCleaningAsync(id, facialInterfaceReplaced: false);

        verdict.Valid.ShouldBeFalse();
        verdict.Problems.Single().Code.ShouldBe("contact_time_not_met");
    }

    [Fact]
    public async Task ACleaningRefusedBeforeAnyVerdictIsAnException()
    {
        await using var api = await LocalApi.StartAsync(app => app.MapPost("/api/v1/cleanings/{id:guid}/complete", () => Results.Problem(statusCode: 422,
            detail: "The note is too long.", extensions: new Dictionary<string, object?> { ["code"] = "validation_failed" })));

        var refused = await Should.ThrowAsync<FleetApiException>(() => Client(api).CompleteCleaningAsync(Guid.NewGuid(), false, new string('x', 3000)));

        refused.Problem.Code.ShouldBe("validation_failed");
    }

    [Fact]
    public async Task TheTaskListAsksForOneWardsOpenTasksAndReadsThemInTheOrderGiven()
    {
        string? asked = null;
        var due = new DateTimeOffset(2026, 12, 6, 7, 0, 0, TimeSpan.Zero);
        await using var api = await LocalApi.StartAsync(app => app.MapGet("/api/v1/tasks", (HttpRequest request) =>
        {
            asked = request.QueryString.Value;
            return Results.Json(new[] { OpenTask(TaskKinds.CleaningDue, "HS-1", due), OpenTask(TaskKinds.DeepClean, null, due.AddHours(1)) }, FleetJson.Options);
        }));

        var tasks = await Client(api).OpenTasksAsync("ward 4 east");

        asked.ShouldBe("?ward=ward%204%20east");
        tasks.Select(t => (t.Kind, t.HeadsetId, t.DueAt)).ShouldBe([(TaskKinds.CleaningDue, "HS-1", due), (TaskKinds.DeepClean, null, due.AddHours(1))]);
    }

    [Fact]
    public async Task ATaskCompletedWithoutANoteIsRefusedWithTheNotesFieldError()
    {
        CompleteTaskRequest? sent = null;
        await using var api = await LocalApi.StartAsync(app => app.MapPost("/api/v1/tasks/{id:guid}/complete", (Guid id, CompleteTaskRequest body) =>
        {
            sent = body;
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["is required."] },
                extensions: new Dictionary<string, object?> { ["code"] = "validation_failed" });
        }));

        var refused = await Should.ThrowAsync<FleetApiException>(() => Client(api).CompleteTaskAsync(Guid.NewGuid(), "  "));

        sent.ShouldBe(new CompleteTaskRequest("  "));
        refused.Problem.Status.ShouldBe(400);
        refused.Problem.Errors["note"].ShouldBe(["is required."]);
    }

    private static TaskView OpenTask(string kind, string? headsetId, DateTimeOffset due) => new()
    {
        Id = Guid.NewGuid(), Kind = kind, HeadsetId = headsetId, WardId = "ward 4 east", DueAt = due, Status = "open",
        Message = "Due.", CreatedAt = due.AddHours(-2), OverdueAt = due,
    };

    private static FleetApiClient Client(LocalApi api) => new(new HttpClient { BaseAddress = api.Address });

    private static CleaningView InvalidVerdict(Guid id) => new()
    {
        Id = id, HeadsetId = "HS-1", ProductId = "peroxide-wipe", Method = "wipe", ContactSeconds = 60, Operator = "nurse",
        StartedAt = DateTimeOffset.UtcNow.AddSeconds(-30), EarliestCompletion = DateTimeOffset.UtcNow.AddSeconds(30), CompletedAt = DateTimeOffset.UtcNow,
        Status = "Invalid", Valid = false, Problems = [new Reason("contact_time_not_met", "The surface stayed wet for 30 s of the 60 s it needs.")],
        Late = false, FacialInterfaceReplaced = false, SporicidalRequired = false, RecordedAt = DateTimeOffset.UtcNow,
    };
}
