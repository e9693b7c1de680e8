namespace Fleet.Web.Session;

/// <summary>
/// What each role may do, as the API's policies grant it (Fleet.Api Policies.RolesFor). Pages use it only to leave out
/// forms the API would refuse; the API still decides.
/// </summary>
public static class Can
{
    public static bool Clean(FleetSession s) => s.IsIn(Roles.Nurse, Roles.Biomed, Roles.Admin);
    public static bool Assign(FleetSession s) => s.IsIn(Roles.Nurse, Roles.Scheduler, Roles.Admin);
    public static bool Biomed(FleetSession s) => s.IsIn(Roles.Biomed, Roles.Admin);
    public static bool Audit(FleetSession s) => s.IsIn(Roles.Biomed, Roles.InfectionControl, Roles.Admin);
    public static bool ManageProducts(FleetSession s) => s.IsIn(Roles.InfectionControl, Roles.Admin);
    public static bool Admin(FleetSession s) => s.IsIn(Roles.Admin);
}
