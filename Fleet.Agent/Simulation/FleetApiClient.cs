using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;

namespace Fleet.Agent.Simulation;

/// <summary>A refusal from the API, with its problem-details code ("not_clean", "contact_time_not_met", ...).</summary>
public sealed class FleetApiException(HttpStatusCode status, string? code, string detail)
    : Exception($"{(int)status} {code}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string? Code { get; } = code;
}

/// <summary>
/// The REST calls the simulated hospital staff make, each as the development user of the right role (biomed registers
/// and enrolls, the scheduler assigns and ends sessions, the nurse cleans). Tokens are fetched on first use and again
/// after a 401.
/// </summary>
public sealed class FleetApiClient(HttpClient http, string password) : IDisposable
{
    public const string Biomed = "biomed";
    public const string Scheduler = "scheduler";
    public const string Nurse = "nurse";

    private readonly Dictionary<string, Task<string>> _tokens = [];
    private readonly Lock _lock = new();

    public Task<List<HeadsetSummary>> HeadsetsAsync(CancellationToken ct) => SendAsync<List<HeadsetSummary>>(Biomed, HttpMethod.Get, "/api/v1/headsets", null, ct);

    public Task<List<WardView>> WardsAsync(CancellationToken ct) => SendAsync<List<WardView>>(Biomed, HttpMethod.Get, "/api/v1/wards", null, ct);

    public Task<List<ModelView>> ModelsAsync(CancellationToken ct) => SendAsync<List<ModelView>>(Biomed, HttpMethod.Get, "/api/v1/models", null, ct);

    public Task<List<ProductView>> ProductsAsync(CancellationToken ct) => SendAsync<List<ProductView>>(Biomed, HttpMethod.Get, "/api/v1/products", null, ct);

    public Task<IdResponse> RegisterAsync(RegisterHeadsetRequest request, CancellationToken ct) => SendAsync<IdResponse>(Biomed, HttpMethod.Post, "/api/v1/headsets", request, ct);

    public Task<EnrollmentView> EnrollAsync(string headsetId, CancellationToken ct) => SendAsync<EnrollmentView>(Biomed, HttpMethod.Post, $"/api/v1/headsets/{headsetId}/enroll", null, ct);

    public Task<SessionView> AssignAsync(AssignRequest request, CancellationToken ct) => SendAsync<SessionView>(Scheduler, HttpMethod.Post, "/api/v1/sessions", request, ct);

    public Task<SessionView> EndSessionAsync(Guid sessionId, CancellationToken ct) => SendAsync<SessionView>(Scheduler, HttpMethod.Post, $"/api/v1/sessions/{sessionId}/end", null, ct);

    public Task<CleaningStarted> StartCleaningAsync(string headsetId, string productId, CancellationToken ct) =>
        SendAsync<CleaningStarted>(Nurse, HttpMethod.Post, $"/api/v1/headsets/{headsetId}/cleanings", new StartCleaningRequest(productId), ct);

    public Task<CleaningView> CompleteCleaningAsync(Guid cleaningId, bool facialInterfaceReplaced, CancellationToken ct) =>
        SendAsync<CleaningView>(Nurse, HttpMethod.Post, $"/api/v1/cleanings/{cleaningId}/complete", new CompleteCleaningRequest(facialInterfaceReplaced, null), ct);

    public Task<List<FlagView>> OpenFlagsAsync(string headsetId, CancellationToken ct) =>
        SendAsync<List<FlagView>>(Biomed, HttpMethod.Get, $"/api/v1/headsets/{headsetId}/flags?open=true", null, ct);

    public Task<FlagView> ClearFlagAsync(Guid flagId, string note, CancellationToken ct) =>
        SendAsync<FlagView>(Biomed, HttpMethod.Post, $"/api/v1/flags/{flagId}/clear", new ClearFlagRequest(note), ct);

    public Task<IngestStats> IngestStatsAsync(CancellationToken ct) => SendAsync<IngestStats>(Biomed, HttpMethod.Get, "/api/v1/ingest/stats", null, ct);

    public async Task<T> SendAsync<T>(string user, HttpMethod method, string path, object? body, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: FleetJson.Options);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user, ct));
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                lock (_lock) _tokens.Remove(user); // expired or revoked: sign in again once
                continue;
            }
            if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, ct);
            return (await response.Content.ReadFromJsonAsync<T>(FleetJson.Options, ct))!;
        }
    }

    private Task<string> TokenAsync(string user, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue(user, out var token) || token.IsFaulted) _tokens[user] = token = SignInAsync(user, ct);
            return token;
        }
    }

    private async Task<string> SignInAsync(string user, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new TokenRequest(user, password), FleetJson.Options, ct);
        if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(FleetJson.Options, ct))!.AccessToken;
    }

    private static async Task<FleetApiException> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        string? code = null, detail = null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("code", out var c)) code = c.GetString();
            if (doc.RootElement.TryGetProperty("detail", out var d)) detail = d.GetString();
        }
        catch (JsonException)
        {
        }
        return new FleetApiException(response.StatusCode, code, detail ?? (text.Length > 300 ? text[..300] : text));
    }

    public void Dispose() => http.Dispose();
}
