using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;

namespace Fleet.Client;

/// <summary>
/// Every call the web app and the simulator make to Fleet.Api, typed. Who is calling is the <paramref name="http"/>
/// client's business: a <see cref="DelegatingHandler"/> of the caller's puts the token on each request (the web app:
/// the signed-in person's; the simulator: a development user's) and leaves alone those that <see cref="TakesNoToken"/>.
/// A refusal becomes <see cref="FleetApiException"/> with the API's problem, a 401 <see cref="SessionExpiredException"/>,
/// an API that does not answer a <see cref="FleetApiException"/> with <see cref="ApiProblem.Unreachable"/>.
/// </summary>
public sealed class FleetApiClient(HttpClient http)
{
    private static readonly HttpRequestOptionsKey<bool> NoToken = new("Fleet.NoToken");

    /// <summary>
    /// True for a request that must go without a token (signing in): token handlers pass it on untouched, and its 401 is
    /// a refused sign-in, not an expired session.
    /// </summary>
    public static bool TakesNoToken(HttpRequestMessage request) => request.Options.TryGetValue(NoToken, out var none) && none;

    /// <summary>A Fleet token for the user; wrong credentials are a <see cref="FleetApiException"/> (401, "unauthorized").</summary>
    public async Task<TokenResponse> SignInAsync(string username, string password, CancellationToken ct = default)
    {
        using var request = Request(HttpMethod.Post, "/api/v1/auth/token", new TokenRequest(username, password));
        request.Options.Set(NoToken, true);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        if (!response.IsSuccessStatusCode) throw new FleetApiException(await ProblemAsync(response, ct));
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(FleetJson.Options, ct))!;
    }

    public Task<List<WardView>> WardsAsync(CancellationToken ct = default) => GetAsync<List<WardView>>("/api/v1/wards", ct);
    public Task<List<ModelView>> ModelsAsync(CancellationToken ct = default) => GetAsync<List<ModelView>>("/api/v1/models", ct);
    public Task<List<ProductView>> ProductsAsync(CancellationToken ct = default) => GetAsync<List<ProductView>>("/api/v1/products", ct);
    public Task<List<PersonView>> PeopleAsync(CancellationToken ct = default) => GetAsync<List<PersonView>>("/api/v1/people", ct);

    public Task<List<HeadsetSummary>> HeadsetsAsync(string? ward = null, CancellationToken ct = default) =>
        GetAsync<List<HeadsetSummary>>("/api/v1/headsets" + Query(("ward", ward)), ct);
    public Task<HeadsetDetail> HeadsetAsync(string id, CancellationToken ct = default) => GetAsync<HeadsetDetail>($"/api/v1/headsets/{Esc(id)}", ct);
    public Task<Readiness> ReadinessAsync(string id, int minutes, CancellationToken ct = default) =>
        GetAsync<Readiness>($"/api/v1/headsets/{Esc(id)}/readiness" + Query(("sessionMinutes", Num(minutes))), ct);
    public Task<List<CleaningQueueItem>> CleaningQueueAsync(string? ward, CancellationToken ct = default) =>
        GetAsync<List<CleaningQueueItem>>("/api/v1/cleaning-queue" + Query(("ward", ward)), ct);
    public Task<CleaningView> CleaningAsync(Guid id, CancellationToken ct = default) => GetAsync<CleaningView>($"/api/v1/cleanings/{id}", ct);
    public Task<List<CleaningView>> CleaningsAsync(string headsetId, CancellationToken ct = default) =>
        GetAsync<List<CleaningView>>($"/api/v1/headsets/{Esc(headsetId)}/cleanings", ct);

    /// <summary>The headset's flags, cleared ones too unless <paramref name="openOnly"/>.</summary>
    public Task<List<FlagView>> FlagsAsync(string headsetId, bool openOnly = false, CancellationToken ct = default) =>
        GetAsync<List<FlagView>>($"/api/v1/headsets/{Esc(headsetId)}/flags" + Query(("open", openOnly ? "true" : null)), ct);

    public Task<List<SessionView>> OpenSessionsAsync(CancellationToken ct = default) => GetAsync<List<SessionView>>("/api/v1/sessions?open=true", ct);
    public Task<List<SessionView>> SessionsAsync(string headsetId, DateTimeOffset from, CancellationToken ct = default) =>
        GetAsync<List<SessionView>>("/api/v1/sessions" + Query(("headsetId", headsetId), ("from", Time(from)), ("limit", "5000")), ct);
    public Task<List<TelemetryPoint>> BatteryAsync(string id, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        GetAsync<List<TelemetryPoint>>($"/api/v1/headsets/{Esc(id)}/telemetry" + Query(("from", Time(from)), ("to", Time(to)), ("kind", "battery"), ("limit", "5000")), ct);
    public Task<List<AuditEntryView>> AuditAsync(string entityId, int limit = 500, CancellationToken ct = default) =>
        GetAsync<List<AuditEntryView>>("/api/v1/audit" + Query(("entityId", entityId), ("limit", Num(limit))), ct);
    public Task<List<AlertView>> OpenAlertsAsync(CancellationToken ct = default) => GetAsync<List<AlertView>>("/api/v1/alerts?open=true", ct);
    /// <summary>The tasks still to do (open or overdue), in due order; with a <paramref name="ward"/>, that ward's only.</summary>
    public Task<List<TaskView>> OpenTasksAsync(string? ward = null, CancellationToken ct = default) =>
        GetAsync<List<TaskView>>("/api/v1/tasks" + Query(("ward", ward)), ct);
    public Task<FleetHealth> FleetHealthAsync(CancellationToken ct = default) => GetAsync<FleetHealth>("/api/v1/fleet/health", ct);
    public Task<SystemStatus> SystemAsync(CancellationToken ct = default) => GetAsync<SystemStatus>("/api/v1/system", ct);
    public Task<IngestStats> IngestStatsAsync(CancellationToken ct = default) => GetAsync<IngestStats>("/api/v1/ingest/stats", ct);
    public Task<List<DeadLetterView>> DeadLettersAsync(string? reason, string? headsetId, int limit, CancellationToken ct = default) =>
        GetAsync<List<DeadLetterView>>("/api/v1/dead-letters" + Query(("reason", reason), ("headsetId", headsetId), ("limit", Num(limit))), ct);

    public Task<TraceResult> TraceAsync(string? patientRef, string? headsetId, DateTimeOffset? from, DateTimeOffset? to, int depth, CancellationToken ct = default) =>
        GetAsync<TraceResult>("/api/v1/trace" + Query(("patientRef", patientRef), ("headsetId", headsetId), ("from", Time(from)), ("to", Time(to)), ("depth", Num(depth))), ct);

    public Task<ComplianceReport> ComplianceAsync(string? ward, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct = default) =>
        GetAsync<ComplianceReport>("/api/v1/compliance" + Query(("ward", ward), ("from", Time(from)), ("to", Time(to))), ct);

    public Task<List<ComplianceRecord>> ComplianceRecordsAsync(string? ward, DateTimeOffset? from, DateTimeOffset? to, string? metric, CancellationToken ct = default) =>
        GetAsync<List<ComplianceRecord>>("/api/v1/compliance/records" + Query(("ward", ward), ("from", Time(from)), ("to", Time(to)), ("metric", metric)), ct);

    // Administration: the catalogue, headset registrations and user accounts.
    public Task<WardView> CreateWardAsync(WardRequest body, CancellationToken ct = default) => SendAsync<WardView>(HttpMethod.Post, "/api/v1/wards", body, ct);
    public Task<WardView> UpdateWardAsync(string id, WardRequest body, CancellationToken ct = default) => SendAsync<WardView>(HttpMethod.Put, $"/api/v1/wards/{Esc(id)}", body, ct);
    public Task<ModelView> CreateModelAsync(ModelRequest body, CancellationToken ct = default) => SendAsync<ModelView>(HttpMethod.Post, "/api/v1/models", body, ct);
    public Task<ModelView> UpdateModelAsync(string id, ModelRequest body, CancellationToken ct = default) => SendAsync<ModelView>(HttpMethod.Put, $"/api/v1/models/{Esc(id)}", body, ct);
    public Task<ProductView> CreateProductAsync(ProductRequest body, CancellationToken ct = default) => SendAsync<ProductView>(HttpMethod.Post, "/api/v1/products", body, ct);
    public Task<ProductView> UpdateProductAsync(string id, ProductRequest body, CancellationToken ct = default) =>
        SendAsync<ProductView>(HttpMethod.Put, $"/api/v1/products/{Esc(id)}", body, ct);
    public Task<IdResponse> RegisterHeadsetAsync(RegisterHeadsetRequest body, CancellationToken ct = default) => SendAsync<IdResponse>(HttpMethod.Post, "/api/v1/headsets", body, ct);
    public Task<IdResponse> UpdateHeadsetAsync(string id, UpdateHeadsetRequest body, CancellationToken ct = default) =>
        SendAsync<IdResponse>(HttpMethod.Put, $"/api/v1/headsets/{Esc(id)}", body, ct);
    public Task<List<UserView>> UsersAsync(CancellationToken ct = default) => GetAsync<List<UserView>>("/api/v1/users", ct);
    public Task<UserView> CreateUserAsync(CreateUserRequest body, CancellationToken ct = default) => SendAsync<UserView>(HttpMethod.Post, "/api/v1/users", body, ct);
    public Task<UserView> UpdateUserAsync(string username, UpdateUserRequest body, CancellationToken ct = default) =>
        SendAsync<UserView>(HttpMethod.Put, $"/api/v1/users/{Esc(username)}", body, ct);

    /// <summary>Issues (or rotates) the headset agent's broker credentials; the password is in the answer only.</summary>
    public Task<EnrollmentView> EnrollAsync(string headsetId, CancellationToken ct = default) =>
        SendAsync<EnrollmentView>(HttpMethod.Post, $"/api/v1/headsets/{Esc(headsetId)}/enroll", null, ct);

    public Task<CleaningStarted> StartCleaningAsync(string headsetId, string? productId, string? replaceReason = null, CancellationToken ct = default) =>
        SendAsync<CleaningStarted>(HttpMethod.Post, $"/api/v1/headsets/{Esc(headsetId)}/cleanings", new StartCleaningRequest(productId, replaceReason), ct);

    /// <summary>The verdict; an invalid one (422 with the record) is returned too, with its problems.</summary>
    public async Task<CleaningView> CompleteCleaningAsync(Guid cleaningId, bool facialInterfaceReplaced, string? note = null, CancellationToken ct = default)
    {
        using var request = Request(HttpMethod.Post, $"/api/v1/cleanings/{cleaningId}/complete", new CompleteCleaningRequest(facialInterfaceReplaced, note));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        // An invalid verdict is the record (application/json); a refusal before any verdict is problem details, 422 or not.
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity && response.Content.Headers.ContentType?.MediaType == "application/json")
            return (await response.Content.ReadFromJsonAsync<CleaningView>(FleetJson.Options, ct))!;
        return await ReadAsync<CleaningView>(response, ct);
    }

    /// <summary>Closes a task done by hand (only the daily deep clean is), with what was done.</summary>
    public Task<TaskView> CompleteTaskAsync(Guid taskId, string? note, CancellationToken ct = default) =>
        SendAsync<TaskView>(HttpMethod.Post, $"/api/v1/tasks/{taskId}/complete", new CompleteTaskRequest(note), ct);

    public Task<HeadsetSummary> MarkDirtyAsync(string headsetId, string? reason, CancellationToken ct = default) =>
        SendAsync<HeadsetSummary>(HttpMethod.Post, $"/api/v1/headsets/{Esc(headsetId)}/dirty", new MarkDirtyRequest(reason), ct);
    public Task<FlagView> RaiseFlagAsync(string headsetId, string? kind, string? note, CancellationToken ct = default) =>
        SendAsync<FlagView>(HttpMethod.Post, $"/api/v1/headsets/{Esc(headsetId)}/flags", new RaiseFlagRequest(kind, note), ct);
    public Task<FlagView> ClearFlagAsync(Guid flagId, string? note, CancellationToken ct = default) =>
        SendAsync<FlagView>(HttpMethod.Post, $"/api/v1/flags/{flagId}/clear", new ClearFlagRequest(note), ct);
    public Task<ComfortReportView> ReportComfortAsync(string headsetId, int? fms, string? note, CancellationToken ct = default) =>
        SendAsync<ComfortReportView>(HttpMethod.Post, $"/api/v1/headsets/{Esc(headsetId)}/comfort-reports", new ComfortReportRequest(null, fms, note), ct);
    public Task<SessionView> AssignAsync(AssignRequest request, CancellationToken ct = default) => SendAsync<SessionView>(HttpMethod.Post, "/api/v1/sessions", request, ct);
    public Task<SessionView> EndSessionAsync(Guid sessionId, CancellationToken ct = default) => SendAsync<SessionView>(HttpMethod.Post, $"/api/v1/sessions/{sessionId}/end", null, ct);
    public Task<IdResponse> RetireAsync(string headsetId, string? note, CancellationToken ct = default) =>
        SendAsync<IdResponse>(HttpMethod.Post, $"/api/v1/headsets/{Esc(headsetId)}/retire", new RetireRequest(note), ct);
    public Task<IdResponse> InspectAsync(string headsetId, string? note, CancellationToken ct = default) =>
        SendAsync<IdResponse>(HttpMethod.Post, $"/api/v1/headsets/{Esc(headsetId)}/inspections", new RetireRequest(note), ct);

    /// <summary>A device command; without <paramref name="ttlSeconds"/> the API's default lifetime applies.</summary>
    public Task<CommandView> CommandAsync(string headsetId, string command, int? ttlSeconds = null, CancellationToken ct = default) =>
        SendAsync<CommandView>(HttpMethod.Post, $"/api/v1/headsets/{Esc(headsetId)}/commands", new CommandRequest(command, ttlSeconds), ct);
    public Task<List<CommandView>> CommandsAsync(string headsetId, CancellationToken ct = default) => GetAsync<List<CommandView>>($"/api/v1/headsets/{Esc(headsetId)}/commands", ct);

    /// <summary>The raw event stream for the live relay, any status; the caller owns the response.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(CancellationToken ct = default)
    {
        // Not disposed here: the response, read for as long as the page lives, keeps it.
        var request = Request(HttpMethod.Get, "/api/v1/stream", null);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private Task<T> GetAsync<T>(string url, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, url, null, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string url, object? body, CancellationToken ct)
    {
        using var request = Request(method, url, body);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        return await ReadAsync<T>(response, ct);
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body) => new(method, url)
    {
        Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: FleetJson.Options),
    };

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new FleetApiException(ApiProblem.Unreachable(http.BaseAddress ?? request.RequestUri!, e));
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized) throw new SessionExpiredException();
        if (!response.IsSuccessStatusCode) throw new FleetApiException(await ProblemAsync(response, ct));
        return (await response.Content.ReadFromJsonAsync<T>(FleetJson.Options, ct))!;
    }

    private static async Task<ApiProblem> ProblemAsync(HttpResponseMessage response, CancellationToken ct) =>
        ApiProblem.From(response.StatusCode, await response.Content.ReadAsStringAsync(ct));

    private static string Esc(string s) => Uri.EscapeDataString(s);
    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
    private static string? Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Query(params (string Name, string? Value)[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }
}
