using System.Globalization;
using System.Security.Claims;
using Fleet.Api.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Infrastructure.Auth;

/// <summary>Issues the built-in bearer handler's tokens directly, so the response can carry expiry and roles.</summary>
public sealed class TokenIssuer(IOptionsMonitor<BearerTokenOptions> options, TimeProvider time)
{
    public (string Token, DateTimeOffset ExpiresAt) Issue(UserAccount user)
    {
        var o = options.Get(BearerTokenDefaults.AuthenticationScheme);
        var identity = new ClaimsIdentity(BearerTokenDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Username));
        identity.AddClaim(new Claim(AuthSetup.StampClaim, user.Stamp.ToString(CultureInfo.InvariantCulture)));
        foreach (var role in user.Roles) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        var now = time.GetUtcNow();
        var expires = now + o.BearerTokenExpiration;
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expires };
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), properties, BearerTokenDefaults.AuthenticationScheme);
        return (o.BearerTokenProtector.Protect(ticket), expires);
    }
}
