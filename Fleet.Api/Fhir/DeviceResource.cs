using System.Text.Json.Nodes;
using Fleet.Api.Headsets;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Lifetime;
using static Fleet.Api.Fhir.FhirJson;

namespace Fleet.Api.Fhir;

/// <summary>A headset as a FHIR R4 Device. Readiness comes from the assignment gate, so FHIR says exactly what the API enforces.</summary>
public static class DeviceResource
{
    public const string TypeText = "Virtual reality head-mounted display";

    public static JsonObject Build(HeadsetContext c, DateTimeOffset now)
    {
        var h = c.Headset;
        var gate = c.Gate(HygienePolicy.DefaultSessionMinutes, now);
        var online = h.Telemetry.Online && h.Telemetry.LastSeenAt is { } seen && now - seen < c.Policy.OfflineAfter;

        var statusReason = new JsonArray(Concept(online
            ? Coding(DeviceStatusReason, "online", "Online")
            : Coding(DeviceStatusReason, "offline", "Offline")));
        if (!gate.Ready)
            statusReason.Add(Concept(Coding(DeviceStatusReason, "not-ready", "Not Ready"),
                "May not be handed to a patient: " + string.Join(" ", gate.Reasons.Select(r => r.Message))));

        var device = new JsonObject
        {
            ["resourceType"] = "Device",
            ["id"] = h.Id,
            ["identifier"] = new JsonArray(Identifier(SerialSystem, h.Serial), Identifier(AssetTagSystem, h.AssetTag)),
            ["status"] = h.Retired ? "inactive" : "active",
            ["statusReason"] = statusReason,
            ["manufacturer"] = c.Model.Manufacturer,
            ["serialNumber"] = h.Serial,
            ["deviceName"] = new JsonArray(
                new JsonObject { ["name"] = h.AssetTag, ["type"] = "user-friendly-name" },
                new JsonObject { ["name"] = $"{c.Model.Manufacturer} {c.Model.Name}", ["type"] = "model-name" }),
            ["modelNumber"] = c.Model.Id,
            ["type"] = Concept(null, TypeText),
            ["property"] = Properties(c, now),
        };
        if (c.OpenFlags.Count > 0)
            device["safety"] = new JsonArray(c.OpenFlags.Select(f => (JsonNode)Concept(Coding(HoldSystem, f.Kind.WireName(), f.Kind.GateMessage()), f.Note)).ToArray());
        return device;
    }

    private static JsonArray Properties(HeadsetContext c, DateTimeOffset now)
    {
        var counters = c.Headset.Counters;
        var consumed = LifetimeCalculator.Consumed(c.LifetimeInput(now));
        return new JsonArray(
            Property("sessions", "Sessions", Quantity(counters.Sessions, "sessions")),
            Property("wear-time", "Wear time", Quantity(counters.WearSeconds / 60, "min", "min")),
            Property("cleanings", "Cleanings", Quantity(counters.Cleanings, "cleanings")),
            Property("facial-interface-cleanings", "Cleanings of the current facial interface",
                Quantity(counters.FacialInterfaceCleanings, "cleanings")),
            Property("battery-cycles", "Battery charge cycles",
                Quantity(Math.Max(counters.BatteryCycles, c.Headset.Telemetry.BatteryCycleCount ?? 0), "cycles")),
            Property("lifetime-consumed", "Lifetime consumed (largest of service years, battery cycles, facial-interface and housing cleanings)",
                Quantity(Math.Round(consumed * 100, 1), "%", "%")));
    }

    private static JsonObject Property(string code, string display, JsonObject value) => new()
    {
        ["type"] = Concept(Coding(PropertySystem, code, display)),
        ["valueQuantity"] = new JsonArray(value),
    };
}
