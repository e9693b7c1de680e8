using System.Net;
using System.Text;
using System.Text.Json;
using Fleet.Api.Tests.Support;
using Fleet.Contracts.Api;
using Shouldly;

namespace Fleet.Api.Tests.Infrastructure.Problems;

/// <summary>Input that should never be accepted, over REST: each refusal names the field in plain words and has its own code.</summary>
public sealed class InputRulesTests(InputRulesTests.SharedApp app) : IClassFixture<InputRulesTests.SharedApp>
{
    public sealed class SharedApp : FleetApp;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("1999-12-31T10:00:00Z")]
    [InlineData("2026-11-20T10:00:00")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2026-11-20")]
    public async Task ACleaningLogWithATimeBefore2000OrWithoutAnOffsetIsRefusedNamingTheField(string startedAt)
    {
        var nurse = await app.ClientAs("nurse");
        var r = await nurse.PostAsync("/api/v1/headsets/HS-0001/cleanings/log",
            Json($$"""{"productId":"quat-wipe","startedAt":"{{startedAt}}","completedAt":"2026-11-20T10:10:00Z"}"""));
        var problem = await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        var error = problem.GetProperty("errors").GetProperty("startedAt")[0].GetString()!;
        error.ShouldContain("explicit offset");
        problem.GetProperty("detail").GetString()!.ShouldNotContain("System.");
    }

    [Theory]
    [InlineData("/api/v1/audit?from=2026-11-20T10:00:00", "from")]
    [InlineData("/api/v1/audit?to=1999-01-01T00:00:00Z", "to")]
    [InlineData("/api/v1/headsets/HS-0001/telemetry?from=yesterday", "from")]
    [InlineData("/api/v1/trace?headsetId=HS-0001&from=2026-11-20", "from")]
    public async Task QueryTimesFollowTheSameRule(string url, string field)
    {
        var admin = await app.ClientAs("admin");
        var problem = await (await admin.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").GetProperty(field)[0].GetString()!.ShouldContain("explicit offset");
    }

    [Fact]
    public async Task ATimeWithAnExplicitOffsetIsAcceptedAndReadAsUtc()
    {
        var admin = await app.ClientAs("admin");
        (await admin.GetAsync("/api/v1/audit?from=2026-11-20T11:00:00%2B01:00")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/v1/headsets/HS-0001/flags", """{"kind":"damage","note":"cracked\u0000lens"}""", "note")]
    [InlineData("/api/v1/headsets/HS-0001/flags", """{"kind":"damage","note":"\u001b[31mred"}""", "note")]
    [InlineData("/api/v1/headsets/HS-0001/dirty", """{"reason":"spill\u0007"}""", "reason")]
    [InlineData("/api/v1/sessions", """{"headsetId":"HS-0001","patientRef":"MRN\u0000-1","wardId":"paediatrics","sessionMinutes":30}""", "patientRef")]
    [InlineData("/api/v1/headsets", """{"serial":"SN\u0085-1","assetTag":"VR-1","modelId":"pico-4e","wardId":"paediatrics"}""", "serial")]
    public async Task ControlCharactersAreRefusedInEveryTextField(string url, string body, string field)
    {
        var admin = await app.ClientAs("admin");
        var problem = await (await admin.PostAsync(url, Json(body))).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").GetProperty(field)[0].GetString()!.ShouldContain("control characters");
    }

    [Fact]
    public async Task ATabAndLineBreaksInANoteAreFreeTextButNotInAOneLineField()
    {
        var nurse = await app.ClientAs("nurse");
        var r = await nurse.PostAsync("/api/v1/headsets/HS-0002/flags", Json("""{"kind":"damage","note":"strap torn\r\nsee photo\tleft side"}"""));
        r.StatusCode.ShouldBe(HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        var admin = await app.ClientAs("admin");
        var problem = await (await admin.PostAsync("/api/v1/wards", Json("""{"id":"w-tab","name":"Ward\tone"}"""))).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("/api/v1/wards/paediatrics", """{"id":"burns","name":"Paediatrics"}""")]
    [InlineData("/api/v1/products/quat-wipe", """{"id":"alcohol-wipe","name":"Quat","method":"quaternary_ammonium","contactSeconds":120,"active":true}""")]
    public async Task ABodyIdThatDiffersFromThePathIdIsRefused(string url, string body)
    {
        var admin = await app.ClientAs("admin");
        var r = await admin.PutAsync(url, Json(body));
        var problem = await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").GetProperty("id")[0].GetString()!.ShouldContain("cannot be changed");
    }

    [Fact]
    public async Task ABodyOverTheLimitGets413PayloadTooLarge()
    {
        var biomed = await app.ClientAs("biomed");
        var huge = "{\"serial\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        var problem = await (await biomed.PostAsync("/api/v1/headsets", Json(huge))).ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        problem.GetProperty("detail").GetString()!.ShouldContain("larger than");
    }

    [Fact]
    public async Task ABodyThatIsNotJsonGets415UnsupportedMediaType()
    {
        var biomed = await app.ClientAs("biomed");
        var r = await biomed.PostAsync("/api/v1/headsets", new StringContent("serial=SN-1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await r.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("/api/v1/headsets?ready=maybe", "ready", "must be true or false.")]
    [InlineData("/api/v1/headsets/HS-0001/readiness?sessionMinutes=lots", "sessionMinutes", "must be a whole number.")]
    [InlineData("/api/v1/audit?limit=1e3", "limit", "must be a whole number.")]
    public async Task BindingErrorsInTheQueryReadAsPlainWords(string url, string field, string words)
    {
        var admin = await app.ClientAs("admin");
        var problem = await (await admin.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe(words);
        problem.GetProperty("detail").GetString().ShouldBe($"{field} {words}");
    }

    [Theory]
    [InlineData("""{"facialInterfaceReplaced":"yes"}""", "facialInterfaceReplaced", "must be true or false.")]
    [InlineData("""{"facialInterfaceReplaced":false,"note":42}""", "note", "must be text.")]
    public async Task BindingErrorsInTheBodyReadAsPlainWords(string body, string field, string words)
    {
        var nurse = await app.ClientAs("nurse");
        var r = await nurse.PostAsync("/api/v1/cleanings/0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d/complete", Json(body));
        var problem = await r.ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe(words);
        problem.ToString().ShouldNotContain("System.");
        problem.ToString().ShouldNotContain("Path:");
    }

    [Fact]
    public async Task AMissingBodyReadsAsPlainWords()
    {
        var nurse = await app.ClientAs("nurse");
        var problem = await (await nurse.PostAsync("/api/v1/headsets/HS-0001/flags", Json(""))).ShouldBeProblem(HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("detail").GetString()!.ShouldStartWith("body ");
        problem.ToString().ShouldNotContain("Implicit body");
    }
}
