using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Contracts;

/// <summary>The one JSON shape everything speaks: camelCase, nulls omitted, enums as strings.</summary>
public static class FleetJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        o.Converters.Add(new JsonStringEnumConverter());
        o.Converters.Add(new UtcDateTimeOffsetConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
