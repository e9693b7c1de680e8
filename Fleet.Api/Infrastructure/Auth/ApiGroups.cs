using Fleet.Api.Infrastructure.Problems;

namespace Fleet.Api.Infrastructure.Auth;

public static class ApiGroups
{
    public const string Prefix = "/api/v1";

    /// <summary>
    /// A feature's endpoints under <c>/api/v1</c>, with the authorisation every one of them shares set here once:
    /// a signed-in Fleet role (the read row of the role table). Endpoints that need more name their policy; both
    /// apply, and every role passes the read policy, so the stricter one decides. Hence every one of them can answer
    /// 401 and 403, and says so.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string path, string tag) =>
        app.MapGroup(Prefix + path).WithTags(tag).RequireAuthorization(Policies.Read).RefusesWithoutRole();
}
