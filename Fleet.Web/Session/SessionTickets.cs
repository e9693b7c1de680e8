using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace Fleet.Web.Session;

/// <summary>
/// Keeps each sign-in (the API token and roles) on the server; the cookie carries only a random key to it. Signing out
/// removes the entry, so the old cookie stops working at once, and the API token never travels to the browser.
/// The price: a restart of the web app signs everyone out (several instances would need a shared store).
/// </summary>
public sealed class SessionTickets(IMemoryCache cache) : ITicketStore
{
    private const string Prefix = "fleet-session:";

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Keep(key, ticket);
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        Keep(key, ticket);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(cache.TryGetValue(Prefix + key, out AuthenticationTicket? ticket) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        cache.Remove(Prefix + key);
        return Task.CompletedTask;
    }

    private void Keep(string key, AuthenticationTicket ticket)
    {
        var options = new MemoryCacheEntryOptions();
        if (ticket.Properties.ExpiresUtc is { } expires) options.SetAbsoluteExpiration(expires);
        cache.Set(Prefix + key, ticket, options);
    }
}

/// <summary>Wires <see cref="SessionTickets"/> into the cookie scheme.</summary>
internal sealed class UseSessionTickets(SessionTickets tickets) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == CookieAuthenticationDefaults.AuthenticationScheme) options.SessionStore = tickets;
    }
}
