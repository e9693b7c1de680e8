namespace Fleet.Web.Api;

/// <summary>
/// Tells the API who is really asking (X-Forwarded-For), as the trusted proxy it is: the API limits failed sign-ins per
/// client address, and without this every person would share the web app's address.
/// </summary>
public sealed class ForwardClientAddress(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Remove("X-Forwarded-For");
        if (accessor.HttpContext?.Connection.RemoteIpAddress is { } address)
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
        return base.SendAsync(request, ct);
    }
}
