using Fleet.Domain;

namespace Fleet.Api.Infrastructure.Auth;

/// <summary>The role table of api.md, one policy per row.</summary>
public static class Policies
{
    public const string Read = "read";
    public const string Clean = "clean";
    public const string Assign = "assign";
    public const string RaiseFlag = "raise-flag";
    public const string Biomed = "biomed";
    public const string Audit = "audit";
    public const string HygienePolicy = "hygiene-policy";
    public const string Admin = "admin";

    public static readonly IReadOnlyDictionary<string, string[]> RolesFor = new Dictionary<string, string[]>
    {
        [Read] = [.. Roles.All],
        [Clean] = [Roles.Nurse, Roles.Biomed, Roles.Admin],
        [Assign] = [Roles.Nurse, Roles.Scheduler, Roles.Admin],
        [RaiseFlag] = [.. Roles.All],
        [Biomed] = [Roles.Biomed, Roles.Admin],
        [Audit] = [Roles.Biomed, Roles.InfectionControl, Roles.Admin],
        [HygienePolicy] = [Roles.InfectionControl, Roles.Admin],
        [Admin] = [Roles.Admin],
    };
}
