using System.Globalization;
using System.Security.Claims;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Fleet.Web.Session;

/// <summary>
/// The signed-in person for this request: the API token, its expiry and the roles the token response gave, kept in
/// the web app's encrypted cookie. Roles only choose which pages the menu shows; the API decides what is allowed.
/// </summary>
public sealed class FleetSession(IHttpContextAccessor accessor)
{
    public const string TokenClaim = "fleet:token";
    public const string ExpiresClaim = "fleet:expires";
    public const string UsernameField = "fleet-signin-username";
    public const string PasswordField = "fleet-signin-password";

    private string? _freshToken;

    /// <summary>Raised when the API refuses the token, so the layout can show the sign-in dialog over the page.</summary>
    public event Action? Changed;

    public bool Expired { get; private set; }

    /// <summary>Why signing in again from the dialog failed, shown in the dialog.</summary>
    public string? SignInError { get; set; }

    // An interactive page runs in a circuit, where there is no request: the circuit keeps the person who opened it.
    private ClaimsPrincipal? _circuitUser;

    private ClaimsPrincipal User => _circuitUser ?? accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public bool SignedIn => User.Identity?.IsAuthenticated == true;
    public string? Username => SignedIn ? User.Identity!.Name : null;
    public string? Token => _freshToken ?? User.FindFirstValue(TokenClaim);
    public IReadOnlyList<string> Roles => User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();

    public DateTimeOffset? ExpiresAt =>
        DateTimeOffset.TryParse(User.FindFirstValue(ExpiresClaim), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public bool IsIn(params string[] roles) => roles.Any(r => Roles.Contains(r));

    public void MarkExpired()
    {
        if (Expired) return;
        Expired = true;
        Changed?.Invoke();
    }

    /// <summary>What the cookie holds: the API token (Fleet's own, or the hospital provider's access token) and who it is.</summary>
    public static ClaimsPrincipal Principal(TokenResponse token)
    {
        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, token.Username));
        // Antiforgery ties its tokens to this claim; without it, it would hash every claim (the API token included)
        // and a form rendered before signing in again would be refused after it.
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, token.Username));
        identity.AddClaim(new Claim(TokenClaim, token.AccessToken));
        identity.AddClaim(new Claim(ExpiresClaim, token.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)));
        foreach (var role in token.Roles) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Keeps the token in the cookie and uses it for the rest of this request.</summary>
    public async Task SignInAsync(HttpContext http, TokenResponse token)
    {
        var principal = Principal(token);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        http.User = principal;
        _freshToken = token.AccessToken;
        Expired = false;
        SignInError = null;
    }

    /// <summary>For an interactive page: the signed-in person of the circuit (from its authentication state).</summary>
    public void UseCircuitUser(ClaimsPrincipal user) => _circuitUser = user;

    /// <summary>
    /// Signed in again from an interactive page's dialog: the fresh token serves the rest of this circuit (the cookie
    /// keeps the old one until the next full page load, which asks again if it has expired).
    /// </summary>
    public void Resume(TokenResponse token)
    {
        _freshToken = token.AccessToken;
        Expired = false;
        SignInError = null;
        Changed?.Invoke();
    }

    /// <summary>The page a role starts on.</summary>
    public string HomePath() =>
        IsIn(Fleet.Web.Session.Roles.Nurse) ? "/cleaning"
        : IsIn(Fleet.Web.Session.Roles.Scheduler) ? "/assign"
        : IsIn(Fleet.Web.Session.Roles.Biomed, Fleet.Web.Session.Roles.Admin) ? "/fleet"
        : IsIn(Fleet.Web.Session.Roles.InfectionControl) ? "/trace"
        : "/signin";
}

/// <summary>The role names of the API's token response.</summary>
public static class Roles
{
    public const string Nurse = "nurse";
    public const string Scheduler = "scheduler";
    public const string Biomed = "biomed";
    public const string InfectionControl = "infection_control";
    public const string Admin = "admin";
}
