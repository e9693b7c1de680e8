using Fleet.Api.Headsets;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Lifetime;
using Hl7.Fhir.Model;
using static Fleet.Api.Clinical.Fhir.FhirTypes;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>A headset as a FHIR R4 Device. Readiness comes from the assignment gate, so FHIR says exactly what the API enforces.</summary>
public static class DeviceResource
{
    public const string TypeText = "Virtual reality head-mounted display";

    public static Device Build(HeadsetContext c, DateTimeOffset now)
    {
        var h = c.Headset;
        var gate = c.Gate(HygienePolicy.DefaultSessionMinutes, now);
        var online = h.Telemetry.IsOnline(now, c.Policy.OfflineAfter);

        var device = new Device
        {
            Id = h.Id,
            Identifier = [new Identifier(SerialSystem, h.Serial), new Identifier(AssetTagSystem, h.AssetTag)],
            Status = h.Retired ? Device.FHIRDeviceStatus.Inactive : Device.FHIRDeviceStatus.Active,
            StatusReason = [Concept(online ? Code(DeviceStatusReason, "online", "Online") : Code(DeviceStatusReason, "offline", "Offline"))],
            Manufacturer = c.Model.Manufacturer,
            SerialNumber = h.Serial,
            DeviceName =
            [
                new Device.DeviceNameComponent { Name = h.AssetTag, Type = DeviceNameType.UserFriendlyName },
                new Device.DeviceNameComponent { Name = $"{c.Model.Manufacturer} {c.Model.Name}", Type = DeviceNameType.ModelName },
            ],
            ModelNumber = c.Model.Id,
            Type = Concept(null, TypeText),
            Property = Properties(c, now),
            Safety = c.OpenFlags.Select(f => Concept(Code(HoldSystem, f.Kind.WireName(), f.Kind.GateMessage()), f.Note)).ToList(),
        };
        if (!gate.Ready)
            device.StatusReason.Add(Concept(Code(DeviceStatusReason, "not-ready", "Not Ready"),
                "May not be handed to a patient: " + string.Join(" ", gate.Reasons.Select(r => r.Message))));
        return device;
    }

    private static List<Device.PropertyComponent> Properties(HeadsetContext c, DateTimeOffset now)
    {
        var counters = c.Headset.Counters;
        var consumed = LifetimeCalculator.Consumed(c.LifetimeInput(now));
        return
        [
            Property("sessions", "Sessions", Quantity(counters.Sessions, "sessions")),
            Property("wear-time", "Wear time", Quantity(counters.WearSeconds / 60, "min", "min")),
            Property("cleanings", "Cleanings", Quantity(counters.Cleanings, "cleanings")),
            Property("facial-interface-cleanings", "Cleanings of the current facial interface",
                Quantity(counters.FacialInterfaceCleanings, "cleanings")),
            Property("battery-cycles", "Battery charge cycles",
                Quantity(Fleet.Domain.Hygiene.Telemetry.BatteryCycles(counters.BatteryCycles, c.Headset.Telemetry.BatteryCycleCount), "cycles")),
            Property("lifetime-consumed", "Lifetime consumed (largest of service years, battery cycles, facial-interface and housing cleanings)",
                Quantity(Math.Round(consumed * 100, 1), "%", "%")),
        ];
    }

    private static Device.PropertyComponent Property(string code, string display, Quantity value) =>
        new() { Type = Concept(Code(PropertySystem, code, display)), ValueQuantity = [value] };
}
