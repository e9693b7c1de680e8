using Fleet.Api.Tests.Support;
using Fleet.Domain;
using Fleet.GeneratedClient;
using Fleet.GeneratedClient.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Shouldly;

namespace Fleet.Api.Tests.OpenApi;

/// <summary>
/// A client Kiota generates from docs/api/openapi-v1.json (at this project's build) compiles and works against the
/// real pipeline: it signs in, reads, and meets the API's refusals as the typed problems the document declares.
/// </summary>
public sealed class GeneratedClientTests : IDisposable
{
    private readonly FleetApp _app = new();

    [Fact]
    public async Task AGeneratedClientSignsInReadsAndMeetsTheGateAsATypedProblem()
    {
        var anonymous = ClientWith(token: null);
        var refused = await Should.ThrowAsync<Problem>(() => anonymous.Api.V1.Headsets.GetAsync());
        refused.ResponseStatusCode.ShouldBe(401);
        refused.Code.ShouldBe(Codes.Unauthorized);

        var scheduler = await SignedIn("scheduler");
        (await scheduler.Api.V1.Headsets.GetAsync())!.Select(h => h.Id).ShouldContain("HS-0001");
        var readiness = (await scheduler.Api.V1.Headsets["HS-0001"].Readiness.GetAsync())!;
        readiness.Ready.ShouldBe(false);
        readiness.Reasons!.Select(r => r.Code).ShouldContain(Codes.NotClean);

        var blocked = await Should.ThrowAsync<GateProblem>(() => scheduler.Api.V1.Sessions.PostAsync(Assignment("HS-0001")));
        blocked.ResponseStatusCode.ShouldBe(409);
        blocked.Code.ShouldBe(Codes.NotClean);
        blocked.HeadsetId.ShouldBe("HS-0001");
        blocked.Reasons!.Select(r => r.Code).ShouldContain(Codes.NotClean);
    }

    [Fact]
    public async Task AGeneratedClientCleansAHeadsetAndAssignsIt()
    {
        var nurse = await SignedIn("nurse");
        var started = (await nurse.Api.V1.Headsets["HS-0002"].Cleanings.PostAsync(new StartCleaningRequest { ProductId = "quat-wipe" }))!;
        started.HeadsetId.ShouldBe("HS-0002");

        var early = await Should.ThrowAsync<RuleProblem>(() => nurse.Api.V1.Cleanings[started.Id!.Value].Complete.PostAsync(new CompleteCleaningRequest()));
        early.ResponseStatusCode.ShouldBe(422);
        early.Code.ShouldBe(Codes.ContactTimeNotMet);

        _app.Time.Advance(TimeSpan.FromSeconds(started.ContactSeconds!.Value));
        (await nurse.Api.V1.Cleanings[started.Id!.Value].Complete.PostAsync(new CompleteCleaningRequest()))!.Status.ShouldBe("Valid");

        var scheduler = await SignedIn("scheduler");
        var session = (await scheduler.Api.V1.Sessions.PostAsync(Assignment("HS-0002")))!;
        session.HeadsetId.ShouldBe("HS-0002");
        session.PatientRef.ShouldBe("MRN-0042");
        (await scheduler.Api.V1.Sessions[session.Id!.Value].GetAsync())!.EndedAt.ShouldBeNull();
    }

    private static AssignRequest Assignment(string headsetId) =>
        new() { HeadsetId = headsetId, PatientRef = "MRN-0042", WardId = "paediatrics", SessionMinutes = 30 };

    private async Task<FleetKiotaClient> SignedIn(string user)
    {
        var token = await ClientWith(token: null).Api.V1.Auth.Token.PostAsync(new TokenRequest { Username = user, Password = "fleet" });
        return ClientWith(token!.AccessToken);
    }

    private FleetKiotaClient ClientWith(string? token)
    {
        var http = _app.CreateClient();
        if (token is not null) http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return new FleetKiotaClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'),
        });
    }

    public void Dispose() => _app.Dispose();
}
