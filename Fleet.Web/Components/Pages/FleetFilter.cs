using System.Globalization;
using Fleet.Contracts.Api;
using Microsoft.AspNetCore.WebUtilities;

namespace Fleet.Web.Components.Pages;

/// <summary>Fleet health's search, filters and sort, kept in the address (<c>?q=&amp;ward=&amp;state=…&amp;sort=&amp;desc=1</c>).</summary>
public sealed record FleetFilter(string? Q, string? Ward, string? State, string? Ready, string? Online, int? BatteryBelow, int? LifetimeAbove, string? Sort, bool Desc)
{
    public static readonly FleetFilter None = new(null, null, null, null, null, null, null, null, false);

    public sealed record Column(string Key, string Title, Func<HeadsetSummary, IReadOnlyList<WardView>, IReadOnlyList<AlertView>, IComparable?> Value);

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("id", "Headset", (h, _, _) => h.Id),
        new("ward", "Ward", (h, w, _) => WardName(w, h.WardId)),
        new("hygiene", "Hygiene", (h, _, _) => h.Hygiene),
        new("ready", "Ready", (h, _, _) => h.Ready),
        new("online", "Online", (h, _, _) => h.Online),
        new("lastseen", "Last seen", (h, _, _) => h.LastSeenAt),
        new("battery", "Battery", (h, _, _) => h.BatteryPercent),
        new("temperature", "Temp.", (h, _, _) => h.BatteryTemperatureC),
        new("health", "Battery health", (h, _, _) => h.BatteryHealthPercent),
        new("lifetime", "Lifetime used", (h, _, _) => h.LifetimeConsumedPercent),
        new("forecast", "Forecast end", (h, _, _) => h.LifetimeForecast),
        new("flags", "Open flags", (h, _, _) => h.OpenFlags.Count),
        new("alerts", "Open alerts", (h, _, a) => a.Count(x => x.HeadsetId == h.Id)),
    ];

    public static string WardName(IReadOnlyList<WardView> wards, string id) => wards.FirstOrDefault(w => w.Id == id)?.Name ?? id;

    public List<HeadsetSummary> Apply(IReadOnlyList<HeadsetSummary> all, IReadOnlyList<WardView> wards, IReadOnlyList<AlertView> alerts)
    {
        IEnumerable<HeadsetSummary> q = all;
        if (Q is { Length: > 0 } text)
            q = q.Where(h => new[] { h.Id, h.AssetTag, h.Serial, h.ModelName, WardName(wards, h.WardId) }
                .Any(s => s.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)));
        if (Ward is { Length: > 0 } ward) q = q.Where(h => h.WardId == ward);
        if (State == "retired") q = q.Where(h => h.Retired);
        else if (State is { Length: > 0 } state) q = q.Where(h => !h.Retired && h.Hygiene == state);
        if (Ready == "ready") q = q.Where(h => h.Ready);
        else if (Ready == "blocked") q = q.Where(h => !h.Ready);
        if (Online == "online") q = q.Where(h => h.Online);
        else if (Online == "offline") q = q.Where(h => !h.Online);
        if (BatteryBelow is { } below) q = q.Where(h => h.BatteryPercent is { } b && b < below);
        if (LifetimeAbove is { } above) q = q.Where(h => h.LifetimeConsumedPercent > above);
        if (Columns.FirstOrDefault(c => c.Key == Sort) is { } column)
        {
            // Unknown values (no battery reading yet) go last either way; ties keep the id order.
            var known = q.Where(h => column.Value(h, wards, alerts) is not null);
            var unknown = q.Where(h => column.Value(h, wards, alerts) is null);
            known = Desc ? known.OrderByDescending(h => column.Value(h, wards, alerts)).ThenBy(h => h.Id, StringComparer.Ordinal)
                         : known.OrderBy(h => column.Value(h, wards, alerts)).ThenBy(h => h.Id, StringComparer.Ordinal);
            q = known.Concat(unknown);
        }
        return q.ToList();
    }

    public static FleetFilter FromQuery(string query)
    {
        var p = QueryHelpers.ParseQuery(query);
        string? S(string k) => p.TryGetValue(k, out var v) && v.ToString() is { Length: > 0 } s ? s : null;
        int? N(string k) => int.TryParse(S(k), CultureInfo.InvariantCulture, out var n) ? n : null;
        return new(S("q"), S("ward"), S("state"), S("ready"), S("online"), N("batteryBelow"), N("lifetimeAbove"),
            Columns.Any(c => c.Key == S("sort")) ? S("sort") : null, S("desc") is "1" or "true");
    }

    public string ToQuery()
    {
        var parts = new List<string>();
        void Add(string k, string? v) { if (!string.IsNullOrEmpty(v)) parts.Add($"{k}={Uri.EscapeDataString(v)}"); }
        Add("q", Q); Add("ward", Ward); Add("state", State); Add("ready", Ready); Add("online", Online);
        Add("batteryBelow", BatteryBelow?.ToString(CultureInfo.InvariantCulture));
        Add("lifetimeAbove", LifetimeAbove?.ToString(CultureInfo.InvariantCulture));
        Add("sort", Sort);
        if (Desc) Add("desc", "1");
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
