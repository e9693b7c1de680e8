namespace Fleet.Domain;

/// <summary>The five roles of api.md. A user holds one or more.</summary>
public static class Roles
{
    public const string Nurse = "nurse";
    public const string Scheduler = "scheduler";
    public const string Biomed = "biomed";
    public const string InfectionControl = "infection_control";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Nurse, Scheduler, Biomed, InfectionControl, Admin];
}
