using System.Collections.Concurrent;
using Fleet.Agent.Simulation;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fleet.Client.Tests;

/// <summary>The simulator's staff call as their development users: one sign-in each, and one more after a 401.</summary>
public sealed class DevelopmentUserTokenTests
{
    [Fact]
    public async Task EachRoleSignsInOnceAsItsOwnUserAndSendsItsTokenOnEveryCall()
    {
        var auth = new FakeAuth();
        await using var api = await auth.StartAsync();
        using var staff = new StaffClients(api.Address, "fleet");

        await staff.Biomed.RegisterHeadsetAsync(new RegisterHeadsetRequest("SIM-1", "SIM-1", "quest-3", "icu"));
        await staff.Biomed.RegisterHeadsetAsync(new RegisterHeadsetRequest("SIM-2", "SIM-2", "quest-3", "icu"));
        await staff.Nurse.RegisterHeadsetAsync(new RegisterHeadsetRequest("SIM-3", "SIM-3", "quest-3", "icu"));

        auth.SignIns.ShouldBe(["biomed", "nurse"]);
        auth.Calls.ShouldBe(["biomed-1 SIM-1", "biomed-1 SIM-2", "nurse-2 SIM-3"]);
    }

    [Fact]
    public async Task AfterA401TheUserSignsInAgainOnceAndTheRequestIsSentAgainWithItsBody()
    {
        var auth = new FakeAuth();
        await using var api = await auth.StartAsync();
        using var staff = new StaffClients(api.Address, "fleet");
        await staff.Biomed.RegisterHeadsetAsync(new RegisterHeadsetRequest("SIM-1", "SIM-1", "quest-3", "icu"));

        auth.RevokeAll(); // the API restarted with a new signing key, say
        var registered = await staff.Biomed.RegisterHeadsetAsync(new RegisterHeadsetRequest("SIM-2", "SIM-2", "quest-3", "icu"));

        registered.Id.ShouldBe("SIM-2");
        auth.SignIns.ShouldBe(["biomed", "biomed"]);
        auth.Calls.ShouldBe(["biomed-1 SIM-1", "biomed-2 SIM-2"]);
    }

    [Fact]
    public async Task A401AfterSigningInAgainIsAnExpiredSessionWithoutAThirdSignIn()
    {
        var auth = new FakeAuth { RefuseEveryToken = true };
        await using var api = await auth.StartAsync();
        using var staff = new StaffClients(api.Address, "fleet");

        await Should.ThrowAsync<SessionExpiredException>(() => staff.Scheduler.RegisterHeadsetAsync(new RegisterHeadsetRequest("SIM-1", "SIM-1", "quest-3", "icu")));

        auth.SignIns.ShouldBe(["scheduler", "scheduler"]);
    }

    [Fact]
    public async Task ARefusedSignInIsTheApisProblem()
    {
        var auth = new FakeAuth { Password = "something-else" };
        await using var api = await auth.StartAsync();
        using var staff = new StaffClients(api.Address, "fleet");

        var refused = await Should.ThrowAsync<FleetApiException>(() => staff.Nurse.HeadsetsAsync());

        refused.ShouldNotBeOfType<SessionExpiredException>();
        refused.Problem.Code.ShouldBe("unauthorized");
    }

    /// <summary>
    /// Signs development users in with numbered tokens and registers headsets for holders of a live one, noting who
    /// signed in and which token each registration came with.
    /// </summary>
    private sealed class FakeAuth
    {
        private readonly ConcurrentDictionary<string, bool> _live = new();
        private int _issued;

        public string Password { get; init; } = "fleet";
        public bool RefuseEveryToken { get; init; }
        public ConcurrentQueue<string> SignIns { get; } = new();
        public ConcurrentQueue<string> Calls { get; } = new();

        public void RevokeAll() => _live.Clear();

        public Task<LocalApi> StartAsync() => LocalApi.StartAsync(app =>
        {
            app.MapPost("/api/v1/auth/token", (TokenRequest body) =>
            {
                if (body.Password != Password)
                    return Results.Problem(statusCode: 401, detail: "The user name or password is wrong.", extensions: new Dictionary<string, object?> { ["code"] = "unauthorized" });
                SignIns.Enqueue(body.Username!);
                var token = $"{body.Username}-{Interlocked.Increment(ref _issued)}";
                _live[token] = true;
                return Results.Ok(new TokenResponse(token, DateTimeOffset.UtcNow.AddHours(1), [body.Username!], body.Username!));
            });
            app.MapPost("/api/v1/headsets", (RegisterHeadsetRequest body, HttpRequest request) =>
            {
                var token = request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal);
                if (RefuseEveryToken || !_live.ContainsKey(token)) return Results.Unauthorized();
                Calls.Enqueue($"{token} {body.Serial}");
                return Results.Ok(new IdResponse(body.Serial!));
            });
            app.MapGet("/api/v1/headsets", () => Results.Ok(Array.Empty<HeadsetSummary>()));
        });
    }
}
