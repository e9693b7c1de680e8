using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Contracts;
using Shouldly;

namespace Fleet.Api.Tests.Support;

/// <summary>Small JSON helpers so tests read as the story they tell.</summary>
public static class Http
{
    public static Task<HttpResponseMessage> Post(this HttpClient c, string url, object? body = null) =>
        c.PostAsJsonAsync(url, body ?? new { }, FleetJson.Options);

    public static Task<HttpResponseMessage> Put(this HttpClient c, string url, object body) =>
        c.PutAsJsonAsync(url, body, FleetJson.Options);

    public static async Task<T> Read<T>(this HttpResponseMessage r) =>
        (await r.Content.ReadFromJsonAsync<T>(FleetJson.Options))!;

    public static async Task<T> Get<T>(this HttpClient c, string url)
    {
        var r = await c.GetAsync(url);
        await r.ShouldBe(HttpStatusCode.OK);
        return await r.Read<T>();
    }

    /// <summary>Asserts the status, showing the body when it is not the expected one.</summary>
    public static async Task ShouldBe(this HttpResponseMessage r, HttpStatusCode expected)
    {
        if (r.StatusCode != expected)
            throw new ShouldAssertException($"Expected {(int)expected} {expected} but got {(int)r.StatusCode} {r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asserts a problem-details answer with the given status and stable code, and returns its JSON.</summary>
    public static async Task<JsonElement> ShouldBeProblem(this HttpResponseMessage r, HttpStatusCode status, string code)
    {
        await r.ShouldBe(status);
        r.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var json = await r.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("code").GetString().ShouldBe(code, json.ToString());
        return json;
    }
}
