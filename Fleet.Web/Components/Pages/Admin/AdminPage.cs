using Microsoft.AspNetCore.Components;

namespace Fleet.Web.Components.Pages.Admin;

/// <summary>
/// What the administration screens share: server-rendered forms (list, then one record to create or edit, chosen by
/// <c>?edit=</c>), a plain "not allowed" answer for roles the API would refuse, and a form that keeps what was typed
/// after a refusal and clears after a save.
/// </summary>
public abstract class AdminPage : FleetComponent
{
    [SupplyParameterFromQuery(Name = "edit")] public string? Edit { get; set; }

    /// <summary>What was saved, said in words after a successful submit.</summary>
    protected string? Saved { get; set; }

    /// <summary>Whether the signed-in person's roles may use this screen (the API decides again on every call).</summary>
    protected abstract bool Allowed { get; }

    protected override async Task OnInitializedAsync()
    {
        if (!Allowed)
        {
            if (Http is { Response.HasStarted: false } h) h.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await LoadAsync();
    }

    protected abstract Task LoadAsync();

    /// <summary>The value to show in a field: what was typed when the last submit was refused, else <paramref name="current"/>.</summary>
    protected string? Value(string name, string? current) => Problem is not null && IsPost ? Posted(name) : current;

    protected IReadOnlyList<string> PostedAll(string name) =>
        IsPost && Http!.Request.Form.TryGetValue(name, out var v) ? v.Where(s => s is not null).Select(s => s!).ToList() : [];

    protected static int? Int(string? s) => int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    protected static double? Real(string? s) => double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Runs a save; on success the edited record is shown again from the API, on a refusal the form keeps its input.</summary>
    protected async Task SaveAsync<T>(Func<Task<T>> call, Func<T, string> said) where T : class
    {
        if (await Call(call) is { } saved)
        {
            Saved = said(saved);
            await LoadAsync();
        }
    }

    protected static string Esc(string s) => Uri.EscapeDataString(s);
}
