using System.Net;
using System.Net.Http.Headers;
using Fleet.Client;

namespace Fleet.Agent.Simulation;

/// <summary>
/// Calls as one development user: signs in on first use (POST /api/v1/auth/token), keeps the token, and after a 401
/// (the token expired, or the API restarted with a new signing key) signs in again once and sends the request again.
/// </summary>
public sealed class DevelopmentUserToken(string username, string password) : DelegatingHandler
{
    private readonly Lock _lock = new();
    private Task<string>? _token;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (FleetApiClient.TakesNoToken(request)) return await base.SendAsync(request, ct);
        var token = Token(request.RequestUri!, refused: null, ct);
        var response = await SendAsync(request, await token, ct);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        response.Dispose();
        return await SendAsync(request, await Token(request.RequestUri!, refused: token, ct), ct);
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string token, CancellationToken ct)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, ct);
    }

    /// <summary>
    /// The token to use; a new sign-in if there is none yet, the last one failed, or it is the one just refused. Many
    /// calls meeting the same 401 at once share one new sign-in rather than each making its own.
    /// </summary>
    private Task<string> Token(Uri api, Task<string>? refused, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_token is null or { IsFaulted: true } or { IsCanceled: true } || _token == refused) _token = SignInAsync(api, ct);
            return _token;
        }
    }

    private async Task<string> SignInAsync(Uri api, CancellationToken ct)
    {
        // Past this handler, straight to the rest of the pipeline: signing in needs no token.
        using var http = new HttpClient(InnerHandler!, disposeHandler: false) { BaseAddress = new Uri(api.GetLeftPart(UriPartial.Authority)) };
        return (await new FleetApiClient(http).SignInAsync(username, password, ct)).AccessToken;
    }
}
