using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Contracts;
using Fleet.Domain.Input;

namespace Fleet.Api.Infrastructure.Problems;

/// <summary>
/// Every string in every request body passes <see cref="TextRules"/> (as free text) before an endpoint sees it, so no
/// field that a handler forgot to check can carry a NUL or an escape sequence into the database, a log or a page.
/// One-line fields are held to the stricter rule by <see cref="Validator"/>.
/// </summary>
public sealed class TextConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new PlainJsonException("must be text.");
        var value = reader.GetString()!;
        return TextRules.Problem(value, freeText: true) is { } problem ? throw new PlainJsonException(problem) : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
