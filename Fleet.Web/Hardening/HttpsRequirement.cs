namespace Fleet.Web.Hardening;

/// <summary>
/// Outside Development the web app is served over HTTPS: it refuses to start with only plain-HTTP addresses, unless
/// <c>Fleet:Web:TlsOffloaded=true</c> says a reverse proxy in front of it terminates TLS (then the proxy must also send
/// X-Forwarded-Proto, and the session cookie is Secure regardless).
/// </summary>
public static class HttpsRequirement
{
    public static void Check(IConfiguration config)
    {
        if (config.GetValue("Fleet:Web:TlsOffloaded", false)) return;
        var urls = new[] { config["urls"], config["ASPNETCORE_URLS"], config["http_ports"] is { Length: > 0 } ? "http://*" : null }
            .Concat(config.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]))
            .Where(u => !string.IsNullOrWhiteSpace(u))
            .SelectMany(u => u!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        var https = urls.Where(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).ToList();
        if (https.Count == 0 || https.Count != urls.Count)
            throw new InvalidOperationException(
                "Fleet.Web serves people's sessions and must be reached over HTTPS outside Development: listen on https:// addresses only " +
                $"(configured: {(urls.Count == 0 ? "none, which means http://localhost:5000" : string.Join(", ", urls))}), " +
                "or set Fleet__Web__TlsOffloaded=true when a reverse proxy terminates TLS in front of it.");
    }
}
