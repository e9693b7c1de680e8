using System.Security.Claims;

namespace Fleet.Api.Infrastructure.Auth;

/// <summary>Who did it, as the audit trail writes it: <c>user:</c>, <c>device:</c> or <c>system:</c>.</summary>
public static class Actor
{
    public static string User(ClaimsPrincipal principal) => "user:" + Name(principal);
    public static string Name(ClaimsPrincipal principal) => principal.Identity?.Name ?? "anonymous";
    public static string Device(string headsetId) => "device:" + headsetId;
    public static string System(string part) => "system:" + part;

    public static IReadOnlyList<string> RolesOf(ClaimsPrincipal principal) =>
        principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
}
