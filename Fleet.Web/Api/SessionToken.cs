using System.Net;
using System.Net.Http.Headers;
using Fleet.Client;
using Fleet.Web.Session;

namespace Fleet.Web.Api;

/// <summary>
/// Puts the signed-in person's API token on each request. With <paramref name="markExpired"/>, a 401 marks the session
/// expired, so the layout asks the person to sign in again over the page they are on.
/// </summary>
public sealed class SessionToken(FleetSession session, bool markExpired) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (FleetApiClient.TakesNoToken(request)) return await base.SendAsync(request, ct);
        if (session.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, ct);
        if (markExpired && response.StatusCode == HttpStatusCode.Unauthorized) session.MarkExpired();
        return response;
    }
}
