namespace Fleet.Domain.Input;

/// <summary>
/// The one rule for text anyone sends Fleet, over REST and over MQTT alike: no control characters (NUL, escape, the
/// C1 range...). Free text (notes, details) may also hold tabs and line breaks, because a note typed into a multi-line
/// field carries them; a name, id or other one-line value may hold none.
/// </summary>
public static class TextRules
{
    /// <summary>Why <paramref name="value"/> is refused, in words that follow the field's name, or null when it is fine.</summary>
    public static string? Problem(string value, bool freeText)
    {
        foreach (var c in value)
        {
            if (!char.IsControl(c) || (freeText && c is '\t' or '\n' or '\r')) continue;
            return freeText ? "must not contain control characters other than tabs and line breaks." : "must not contain control characters.";
        }
        return null;
    }
}
