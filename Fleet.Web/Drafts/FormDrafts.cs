using System.Text.Json;
using Microsoft.JSInterop;

namespace Fleet.Web.Drafts;

/// <summary>
/// What was typed into a form marked <c>data-draft="key"</c>, as the browser kept it (fleet.js writes this tab's
/// sessionStorage on every keystroke, in the browser, so text typed while the connection was down is kept too).
/// A page restores it once its circuit runs, which after a lost circuit is a fresh one with empty fields, and clears it
/// after the form was sent successfully.
/// </summary>
public sealed record FormDraft(IReadOnlyDictionary<string, JsonElement> Values)
{
    public static readonly FormDraft None = new(new Dictionary<string, JsonElement>());

    public bool IsEmpty => Values.Count == 0;

    /// <summary>The typed text of the field with this id; null when the draft has none.</summary>
    public string? Text(string id) => Values.TryGetValue(id, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public bool Checked(string id) => Values.TryGetValue(id, out var v) && v.ValueKind == JsonValueKind.True;
}

public static class FormDrafts
{
    /// <summary>The draft of one form; none when the browser kept none or cannot say (a draft is a convenience, never an error).</summary>
    public static async Task<FormDraft> ReadDraftAsync(this IJSRuntime js, string key)
    {
        try
        {
            var values = await js.InvokeAsync<Dictionary<string, JsonElement>?>("fleet.drafts.read", key);
            return values is { Count: > 0 } ? new FormDraft(values) : FormDraft.None;
        }
        catch (JSException)
        {
            return FormDraft.None;
        }
    }

    public static ValueTask ClearDraftAsync(this IJSRuntime js, string key) => js.InvokeVoidAsync("fleet.drafts.clear", key);
}
