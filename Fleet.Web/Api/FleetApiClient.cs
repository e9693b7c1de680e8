using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fleet.Contracts;
using Fleet.Contracts.Api;
using Fleet.Web.Session;

namespace Fleet.Web.Api;

/// <summary>
/// Every call the web app makes to Fleet.Api, as the signed-in person (bearer token from their session).
/// Refusals become <see cref="FleetApiException"/>, a 401 becomes <see cref="SessionExpiredException"/>.
/// </summary>
public sealed class FleetApiClient(HttpClient http, FleetSession session)
{
    public Uri BaseAddress => http.BaseAddress!;

    public async Task<TokenResponse> SignInAsync(string username, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token")
        {
            Content = JsonContent.Create(new TokenRequest(username, password), options: FleetJson.Options),
        };
        using var response = await SendRawAsync(request);
        if (!response.IsSuccessStatusCode) throw new FleetApiException(ApiProblem.From(response.StatusCode, await response.Content.ReadAsStringAsync()));
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(FleetJson.Options))!;
    }

    public Task<List<WardView>> WardsAsync() => GetAsync<List<WardView>>("/api/v1/wards");
    public Task<List<ModelView>> ModelsAsync() => GetAsync<List<ModelView>>("/api/v1/models");
    public Task<List<PersonView>> PeopleAsync() => GetAsync<List<PersonView>>("/api/v1/people");

    /// <summary>Wards, products and people, for naming what a page shows (<see cref="Names"/>).</summary>
    public async Task<Names> NamesAsync() => new(await WardsAsync(), await ProductsAsync(), await PeopleAsync());

    public Task<List<ProductView>> ProductsAsync() => GetAsync<List<ProductView>>("/api/v1/products");
    public Task<List<HeadsetSummary>> HeadsetsAsync(string? ward = null) => GetAsync<List<HeadsetSummary>>("/api/v1/headsets" + Query(("ward", ward)));
    public Task<HeadsetDetail> HeadsetAsync(string id) => GetAsync<HeadsetDetail>($"/api/v1/headsets/{Esc(id)}");
    public Task<Readiness> ReadinessAsync(string id, int minutes) => GetAsync<Readiness>($"/api/v1/headsets/{Esc(id)}/readiness" + Query(("sessionMinutes", Num(minutes))));
    public Task<List<CleaningQueueItem>> CleaningQueueAsync(string? ward) => GetAsync<List<CleaningQueueItem>>("/api/v1/cleaning-queue" + Query(("ward", ward)));
    public Task<CleaningView> CleaningAsync(Guid id) => GetAsync<CleaningView>($"/api/v1/cleanings/{id}");
    public Task<List<CleaningView>> CleaningsAsync(string headsetId) => GetAsync<List<CleaningView>>($"/api/v1/headsets/{Esc(headsetId)}/cleanings");
    public Task<List<FlagView>> FlagsAsync(string headsetId) => GetAsync<List<FlagView>>($"/api/v1/headsets/{Esc(headsetId)}/flags");
    public Task<List<SessionView>> OpenSessionsAsync() => GetAsync<List<SessionView>>("/api/v1/sessions?open=true");
    public Task<List<SessionView>> SessionsAsync(string headsetId, DateTimeOffset from) =>
        GetAsync<List<SessionView>>("/api/v1/sessions" + Query(("headsetId", headsetId), ("from", Time(from)), ("limit", "5000")));
    public Task<List<TelemetryPoint>> BatteryAsync(string id, DateTimeOffset from, DateTimeOffset to) =>
        GetAsync<List<TelemetryPoint>>($"/api/v1/headsets/{Esc(id)}/telemetry" + Query(("from", Time(from)), ("to", Time(to)), ("kind", "battery"), ("limit", "5000")));
    public Task<List<AuditEntryView>> AuditAsync(string entityId, int limit = 500) =>
        GetAsync<List<AuditEntryView>>("/api/v1/audit" + Query(("entityId", entityId), ("limit", Num(limit))));
    public Task<List<AlertView>> OpenAlertsAsync() => GetAsync<List<AlertView>>("/api/v1/alerts?open=true");
    public Task<FleetHealth> FleetHealthAsync() => GetAsync<FleetHealth>("/api/v1/fleet/health");
    public Task<SystemStatus> SystemAsync() => GetAsync<SystemStatus>("/api/v1/system");
    public Task<List<DeadLetterView>> DeadLettersAsync(string? reason, string? headsetId, int limit) =>
        GetAsync<List<DeadLetterView>>("/api/v1/dead-letters" + Query(("reason", reason), ("headsetId", headsetId), ("limit", Num(limit))));

    public Task<TraceResult> TraceAsync(string? patientRef, string? headsetId, DateTimeOffset? from, DateTimeOffset? to, int depth) =>
        GetAsync<TraceResult>("/api/v1/trace" + Query(("patientRef", patientRef), ("headsetId", headsetId), ("from", Time(from)), ("to", Time(to)), ("depth", Num(depth))));

    public Task<ComplianceReport> ComplianceAsync(string? ward, DateTimeOffset? from, DateTimeOffset? to) =>
        GetAsync<ComplianceReport>("/api/v1/compliance" + Query(("ward", ward), ("from", Time(from)), ("to", Time(to))));

    public Task<List<ComplianceRecord>> ComplianceRecordsAsync(string? ward, DateTimeOffset? from, DateTimeOffset? to, string? metric) =>
        GetAsync<List<ComplianceRecord>>("/api/v1/compliance/records" + Query(("ward", ward), ("from", Time(from)), ("to", Time(to)), ("metric", metric)));

    // Administration: the catalogue, headset registrations and user accounts.
    public Task<WardView> CreateWardAsync(WardRequest body) => PostAsync<WardView>("/api/v1/wards", body);
    public Task<WardView> UpdateWardAsync(string id, WardRequest body) => PutAsync<WardView>($"/api/v1/wards/{Esc(id)}", body);
    public Task<ModelView> CreateModelAsync(ModelRequest body) => PostAsync<ModelView>("/api/v1/models", body);
    public Task<ModelView> UpdateModelAsync(string id, ModelRequest body) => PutAsync<ModelView>($"/api/v1/models/{Esc(id)}", body);
    public Task<ProductView> CreateProductAsync(ProductRequest body) => PostAsync<ProductView>("/api/v1/products", body);
    public Task<ProductView> UpdateProductAsync(string id, ProductRequest body) => PutAsync<ProductView>($"/api/v1/products/{Esc(id)}", body);
    public Task<IdResponse> RegisterHeadsetAsync(RegisterHeadsetRequest body) => PostAsync<IdResponse>("/api/v1/headsets", body);
    public Task<IdResponse> UpdateHeadsetAsync(string id, UpdateHeadsetRequest body) => PutAsync<IdResponse>($"/api/v1/headsets/{Esc(id)}", body);
    public Task<List<UserView>> UsersAsync() => GetAsync<List<UserView>>("/api/v1/users");
    public Task<UserView> CreateUserAsync(CreateUserRequest body) => PostAsync<UserView>("/api/v1/users", body);
    public Task<UserView> UpdateUserAsync(string username, UpdateUserRequest body) => PutAsync<UserView>($"/api/v1/users/{Esc(username)}", body);

    public Task<CleaningStarted> StartCleaningAsync(string headsetId, string? productId, string? replaceReason = null) =>
        PostAsync<CleaningStarted>($"/api/v1/headsets/{Esc(headsetId)}/cleanings", new StartCleaningRequest(productId, replaceReason));

    /// <summary>The verdict; an invalid one (422 with the record) is returned too, with its problems.</summary>
    public async Task<CleaningView> CompleteCleaningAsync(Guid cleaningId, bool facialInterfaceReplaced, string? note)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/v1/cleanings/{cleaningId}/complete", new CompleteCleaningRequest(facialInterfaceReplaced, note));
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity && response.Content.Headers.ContentType?.MediaType == "application/json")
            return (await response.Content.ReadFromJsonAsync<CleaningView>(FleetJson.Options))!;
        return await ReadAsync<CleaningView>(response);
    }

    public Task<HeadsetSummary> MarkDirtyAsync(string headsetId, string? reason) =>
        PostAsync<HeadsetSummary>($"/api/v1/headsets/{Esc(headsetId)}/dirty", new MarkDirtyRequest(reason));
    public Task<FlagView> RaiseFlagAsync(string headsetId, string? kind, string? note) =>
        PostAsync<FlagView>($"/api/v1/headsets/{Esc(headsetId)}/flags", new RaiseFlagRequest(kind, note));
    public Task<FlagView> ClearFlagAsync(Guid flagId, string? note) => PostAsync<FlagView>($"/api/v1/flags/{flagId}/clear", new ClearFlagRequest(note));
    public Task<ComfortReportView> ReportComfortAsync(string headsetId, int? fms, string? note) =>
        PostAsync<ComfortReportView>($"/api/v1/headsets/{Esc(headsetId)}/comfort-reports", new ComfortReportRequest(null, fms, note));
    public Task<SessionView> AssignAsync(AssignRequest request) => PostAsync<SessionView>("/api/v1/sessions", request);
    public Task<SessionView> EndSessionAsync(Guid sessionId) => PostAsync<SessionView>($"/api/v1/sessions/{sessionId}/end", new { });
    public Task<IdResponse> RetireAsync(string headsetId, string? note) => PostAsync<IdResponse>($"/api/v1/headsets/{Esc(headsetId)}/retire", new RetireRequest(note));
    public Task<IdResponse> InspectAsync(string headsetId, string? note) => PostAsync<IdResponse>($"/api/v1/headsets/{Esc(headsetId)}/inspections", new RetireRequest(note));
    public Task<CommandView> CommandAsync(string headsetId, string command) =>
        PostAsync<CommandView>($"/api/v1/headsets/{Esc(headsetId)}/commands", new CommandRequest(command, null));
    public Task<List<CommandView>> CommandsAsync(string headsetId) => GetAsync<List<CommandView>>($"/api/v1/headsets/{Esc(headsetId)}/commands");
    public Task<EnrollmentView> EnrollAsync(string headsetId) => PostAsync<EnrollmentView>($"/api/v1/headsets/{Esc(headsetId)}/enroll", new { });

    /// <summary>The raw event stream for the live relay; the caller owns the response.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        Authorize(request);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task<T> GetAsync<T>(string url)
    {
        using var response = await SendAsync(HttpMethod.Get, url, null);
        return await ReadAsync<T>(response);
    }

    private async Task<T> PostAsync<T>(string url, object body)
    {
        using var response = await SendAsync(HttpMethod.Post, url, body);
        return await ReadAsync<T>(response);
    }

    private async Task<T> PutAsync<T>(string url, object body)
    {
        using var response = await SendAsync(HttpMethod.Put, url, body);
        return await ReadAsync<T>(response);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: FleetJson.Options);
        Authorize(request);
        var response = await SendRawAsync(request);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            session.MarkExpired();
            throw new SessionExpiredException();
        }
        return response;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request)
    {
        try
        {
            return await http.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            throw new FleetApiException(ApiProblem.Unreachable(BaseAddress, e));
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (session.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode) throw new FleetApiException(ApiProblem.From(response.StatusCode, await response.Content.ReadAsStringAsync()));
        return (await response.Content.ReadFromJsonAsync<T>(FleetJson.Options))!;
    }

    private static string Esc(string s) => Uri.EscapeDataString(s);
    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
    private static string? Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Query(params (string Name, string? Value)[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }
}
