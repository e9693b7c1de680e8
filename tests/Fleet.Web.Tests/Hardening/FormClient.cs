using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Fleet.Web.Tests.Hardening;

/// <summary>
/// A browser reduced to what these tests need: cookies, no automatic redirects, the antiforgery token read from a page,
/// forms posted as the pages post them, and optionally its own loopback address (127.0.0.x) to stand for another place.
/// </summary>
public sealed partial class FormClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="trustAnyCertificate">For a site on loopback serving a certificate from the test's own authority.</param>
    public FormClient(Uri site, string localAddress = "127.0.0.1", bool trustAnyCertificate = false)
    {
        var handler = new SocketsHttpHandler
        {
            CookieContainer = Cookies,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (trustAnyCertificate) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        _http = new HttpClient(handler) { BaseAddress = site, Timeout = TimeSpan.FromSeconds(60) };
    }

    public CookieContainer Cookies { get; } = new();

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    /// <summary>The antiforgery token of the first form on the page (and its cookie, kept by the container).</summary>
    public async Task<string> TokenAsync(string path)
    {
        var html = await (await _http.GetAsync(path)).Content.ReadAsStringAsync();
        return Token().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {path}:\n{html}");
    }

    public Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        _http.PostAsync(path, new FormUrlEncodedContent(fields));

    /// <summary>Signs in through the sign-in page; 302 to the start page when it worked.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string user, string password) =>
        await PostAsync("/signin", [
            new("_handler", "signin"), new("__RequestVerificationToken", await TokenAsync("/signin")),
            new("fleet-signin-username", user), new("fleet-signin-password", password)]);

    public string? SessionCookie => Cookies.GetAllCookies().FirstOrDefault(c => c.Name == "fleet-session")?.Value;

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
