using Fleet.Api.Infrastructure.Auditing;
using Fleet.Api.Infrastructure.Auth;
using Fleet.Api.Infrastructure.Data;
using Fleet.Api.Infrastructure.Problems;
using Fleet.Api.Infrastructure.Writes;
using Fleet.Contracts.Api;
using Fleet.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using System.Security.Claims;

namespace Fleet.Api.Users;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapApiGroup("/auth", "Auth");
        auth.MapPost("/token", IssueToken).AllowAnonymous().RequireRateLimiting(AuthSetup.LoginRateLimit)
            .ReadsBody().Refuses(StatusCodes.Status429TooManyRequests);
        auth.MapGet("/me", Me);

        var users = app.MapApiGroup("/users", "Users").RequireAuthorization(Policies.Admin);
        users.MapGet("/", List);
        users.MapPost("/", Create).ReadsBody().Refuses(409);
        users.MapPut("/{username}", Update).ReadsBody().Refuses(404);

        // Every signed-in role may read who a user name is: the names already appear to them in audit and cleaning
        // records, and nothing here (no password data, no stamp) helps an attacker more than the user name does.
        app.MapApiGroup("", "Users").MapGet("/people", People);
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        TokenRequest body, HttpContext http, LoginThrottle throttle, FleetDb db, TokenIssuer issuer, CancellationToken ct)
    {
        var v = new Validator();
        var username = v.Required("username", body.Username, 64);
        var password = v.Required("password", body.Password, 200);
        if (v.Failed) return v.Problem();
        if (throttle.Refusal(http, username) is { } tooMany) return tooMany;
        var user = await db.Set<UserAccount>().AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, ct);
        if (!Passwords.Verify(user, password) || user is not { Active: true })
        {
            throttle.Failed(http, username);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: "The user name or password is wrong, or the account is disabled.",
                extensions: new Dictionary<string, object?> { ["code"] = Codes.Unauthorized });
        }
        var (token, expires) = issuer.Issue(user);
        return TypedResults.Ok(new TokenResponse(token, expires, user.Roles, user.Username));
    }

    /// <summary>Lets the web app learn who a hospital sign-in is in Fleet (the API owns the role mapping).</summary>
    private static Ok<WhoAmI> Me(ClaimsPrincipal user) => TypedResults.Ok(new WhoAmI(Actor.Name(user), Actor.RolesOf(user),
        user.Identity?.AuthenticationType == HospitalSignIn.Scheme ? HospitalSignIn.Scheme : "fleet"));

    private static async Task<Ok<List<UserView>>> List(FleetDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.Set<UserAccount>().AsNoTracking().OrderBy(u => u.Username).ToListAsync(ct)).Select(ToView).ToList());

    private static async Task<Results<Created<UserView>, ProblemHttpResult>> Create(
        CreateUserRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit)
    {
        var v = new Validator();
        var username = v.Identifier("username", body.Username);
        var password = v.Required("password", body.Password, 200);
        if (password.Length > 0 && Passwords.Weakness(password) is { } weak) v.Add("password", weak);
        var roles = CheckRoles(v, body.Roles);
        var displayName = v.Optional("displayName", body.DisplayName, 100);
        if (v.Failed) return v.Problem();

        return await w.ChangeAsync(async Task<Results<Created<UserView>, ProblemHttpResult>> (now) =>
        {
            if (await db.Set<UserAccount>().AnyAsync(u => u.Username == username, w.Ct))
                return Problems.Conflict($"A user named '{username}' already exists.");
            var user = new UserAccount
            {
                Username = username, PasswordHash = Passwords.Hash(password), Roles = roles, CreatedAt = now,
                DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName,
            };
            db.Add(user);
            audit.Record(w.Actor, "user.created", "user", username, data: new { roles, displayName = user.DisplayName });
            return TypedResults.Created($"/api/v1/users/{username}", ToView(user));
        });
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> Update(
        string username, UpdateUserRequest body, [AsParameters] WriteContext w, FleetDb db, AuditTrail audit, IMemoryCache cache)
    {
        var v = new Validator();
        if (body.Password is not null && Passwords.Weakness(body.Password) is { } weak) v.Add("password", weak);
        var roles = body.Roles is null ? null : CheckRoles(v, body.Roles);
        var displayName = v.Optional("displayName", body.DisplayName, 100);
        if (v.Failed) return v.Problem();

        var answer = await w.ChangeAsync(async Task<Results<Ok<UserView>, ProblemHttpResult>> (_) =>
        {
            var user = await db.Set<UserAccount>().FirstOrDefaultAsync(u => u.Username == username, w.Ct);
            if (user is null) return Problems.NotFound("User", username);
            if (body.Password is not null) user.PasswordHash = Passwords.Hash(body.Password);
            if (roles is not null) user.Roles = roles;
            if (body.Active is { } active) user.Active = active;
            if (body.DisplayName is not null) user.DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName;
            user.Stamp++;
            audit.Record(w.Actor, "user.updated", "user", username,
                data: new { passwordChanged = body.Password is not null, roles, active = body.Active, displayName = body.DisplayName is null ? null : user.DisplayName ?? "" });
            return TypedResults.Ok(ToView(user));
        });
        // After the commit: the next request re-reads the account (its roles, stamp, active), never before.
        cache.ForgetUser(username);
        return answer;
    }

    private static List<string> CheckRoles(Validator v, IReadOnlyList<string>? roles)
    {
        if (roles is null || roles.Count == 0) { v.Add("roles", "needs at least one role."); return []; }
        foreach (var r in roles.Where(r => !Roles.All.Contains(r)))
            v.Add("roles", $"'{r}' is not a role; use {string.Join(", ", Roles.All)}.");
        return roles.Distinct().ToList();
    }

    private static async Task<Ok<List<PersonView>>> People(FleetDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.Set<UserAccount>().AsNoTracking().OrderBy(u => u.Username).ToListAsync(ct))
            .Select(u => new PersonView(u.Username, u.DisplayName, u.Roles, u.Active)).ToList());

    private static UserView ToView(UserAccount u) => new(u.Username, u.Roles, u.Active, u.CreatedAt, u.DisplayName);
}
