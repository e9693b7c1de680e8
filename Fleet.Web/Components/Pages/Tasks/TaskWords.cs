using Fleet.Contracts.Api;
using Fleet.Web.Api;

namespace Fleet.Web.Components.Pages.Tasks;

/// <summary>A task's kind as the ward says it; the wire code is for machines.</summary>
public static class TaskWords
{
    public static string Kind(string kind) => kind switch
    {
        TaskKinds.CleaningDue => "Cleaning due",
        TaskKinds.DeepClean => "Daily deep clean",
        TaskKinds.FacialInterfaceReplacement => "Facial interface replacement",
        TaskKinds.Inspection => "Preventive inspection",
        _ => Capitalised(Display.Words(kind)),
    };

    private static string Capitalised(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
