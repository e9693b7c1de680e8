using Fleet.Client;
using Fleet.Contracts.Api;

namespace Fleet.Web.Api;

/// <summary>
/// Words for the ids and codes the API returns: a ward's name and time zone, a product's name, who did something as a
/// person's name and role ("Alex Kim, nurse"). Read with the page's data, so a page names things from the same read.
/// </summary>
public sealed record Names(IReadOnlyList<WardView> Wards, IReadOnlyList<ProductView> Products, IReadOnlyList<PersonView> People)
{
    public static readonly Names None = new([], [], []);

    public string Ward(string? wardId) => Wards.FirstOrDefault(w => w.Id == wardId)?.Name ?? wardId ?? "—";

    /// <summary>The ward's IANA zone, UTC when unknown (the API's default too).</summary>
    public string ZoneOf(string? wardId) => Wards.ZoneOf(wardId);

    public string Product(string? productId) => Products.FirstOrDefault(p => p.Id == productId)?.Name ?? productId ?? "—";

    /// <summary>"Alex Kim, nurse" for <c>user:nurse</c> or <c>nurse</c>; devices and Fleet's own jobs in words too.</summary>
    public string Person(string? actor)
    {
        if (string.IsNullOrEmpty(actor)) return "—";
        var (kind, name) = actor.IndexOf(':') is var i and > 0 ? (actor[..i], actor[(i + 1)..]) : ("user", actor);
        return kind switch
        {
            "user" => People.FirstOrDefault(p => p.Username == name) is { } p
                ? $"{p.DisplayName ?? p.Username}, {string.Join(" and ", p.Roles.Select(RoleWords))}"
                : name,
            "device" => $"headset {name} (its agent)",
            "cabinet" => Cabinet(name),
            "system" => name switch
            {
                "jobs" => "Fleet (scheduled checks)",
                "seed" => "Fleet (set-up)",
                _ => $"Fleet ({Display.Words(name)})",
            },
            _ => actor,
        };
    }

    public static string Cabinet(string cabinetId) => $"UV-C cabinet {cabinetId}";

    /// <summary>
    /// How and when a finished cleaning was done, for "HS-0001 was cleaned …": "in UV-C cabinet UV-2 at 10:32 (Europe/London)"
    /// or "by Alex Kim, nurse with Quaternary ammonium wipe at …", and why it does not count when it is not valid.
    /// </summary>
    public string CleanedHow(CleaningView c, Display show, string? zone) =>
        (c.CabinetId is { } cabinet ? $"in {Cabinet(cabinet)}" : $"by {Person(c.Operator)} with {Product(c.ProductId)}")
        + $" at {show.When(c.CompletedAt, zone)}"
        + (c.Valid ? "" : " (not valid: " + string.Join(" ", c.Problems.Select(p => p.Message)) + ")");

    public static string RoleWords(string role) => role switch
    {
        "nurse" => "nurse",
        "scheduler" => "scheduler",
        "biomed" => "biomedical engineer",
        "infection_control" => "infection control",
        "admin" => "administrator",
        _ => Display.Words(role),
    };
}

public static class NamesReading
{
    /// <summary>Wards, products and people, for naming what a page shows.</summary>
    public static async Task<Names> NamesAsync(this FleetApiClient api) => new(await api.WardsAsync(), await api.ProductsAsync(), await api.PeopleAsync());
}
