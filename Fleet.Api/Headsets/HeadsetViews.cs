using Fleet.Contracts.Api;
using Fleet.Domain.Catalog;
using Fleet.Domain.Flags;
using Fleet.Domain.Hygiene;
using Fleet.Domain.Lifetime;
using Fleet.Api.Infrastructure.Problems;

namespace Fleet.Api.Headsets;

/// <summary>Maps headsets to their wire views. The gate is evaluated here, so every view shows the same verdict the API enforces.</summary>
public static class HeadsetViews
{
    public static HeadsetSummary Summary(HeadsetContext c, DateTimeOffset now, UsageRates rates, int sessionMinutes = HygienePolicy.DefaultSessionMinutes)
    {
        var h = c.Headset;
        var gate = c.Gate(sessionMinutes, now);
        var lifetime = LifetimeCalculator.Parts(c.LifetimeInput(now));
        return new HeadsetSummary
        {
            Id = h.Id,
            Serial = h.Serial,
            AssetTag = h.AssetTag,
            ModelId = h.ModelId,
            ModelName = $"{c.Model.Manufacturer} {c.Model.Name}",
            WardId = h.WardId,
            Hygiene = c.Hygiene(now).ToString(),
            Ready = gate.Ready,
            Reasons = gate.Reasons.Select(Problems.ToReason).ToList(),
            Warnings = gate.Warnings.Select(Problems.ToReason).ToList(),
            BatteryPercent = h.Telemetry.BatteryPercent,
            Charging = h.Telemetry.Charging,
            BatteryTemperatureC = h.Telemetry.BatteryTemperatureC,
            BatteryHealthPercent = h.Telemetry.BatteryHealthPercent,
            Online = h.Telemetry.IsOnline(now, c.Policy.OfflineAfter),
            LastSeenAt = h.Telemetry.LastSeenAt,
            LifetimeConsumedPercent = Math.Round(lifetime.Max(p => p.Fraction) * 100, 1),
            LifetimeForecast = lifetime.Select(p => LifetimeCalculator.Forecast(p, rates.PerDay(p.Dimension), now)).Min(),
            Retired = h.Retired,
            NeedsCleaningSince = h.NeedsCleaningSince(c.Policy, now),
            CleaningDueAt = h.CleaningDueAt(c.Policy, now),
            CleanExpiresAt = c.Hygiene(now) == HygieneState.Clean ? h.CleanExpiresAt(c.Policy) : null,
            OpenFlags = c.OpenFlags.Select(f => f.Kind.WireName()).Distinct().ToList(),
            OpenSessionId = c.OpenSession?.Id,
        };
    }

    public static HeadsetDetail Detail(HeadsetContext c, DateTimeOffset now, UsageRates rates, DateTimeOffset? enrolledAt)
    {
        var h = c.Headset;
        var t = h.Telemetry;
        return new HeadsetDetail
        {
            Summary = Summary(c, now, rates),
            RegisteredAt = h.RegisteredAt,
            CleanedAt = h.CleanedAt,
            SporicidalRequired = h.SporicidalRequired,
            ActiveCleaningId = h.ActiveCleaningId,
            RetiredAt = h.RetiredAt,
            RetiredNote = h.RetiredNote,
            LastInspectionAt = h.LastInspectionAt,
            FacialInterfaceReplacedAt = h.FacialInterfaceReplacedAt,
            EnrolledAt = enrolledAt,
            Counters = new HeadsetCountersView(h.Counters.Sessions, h.Counters.WearSeconds / 60, h.Counters.Cleanings,
                h.Counters.ByMethod().ToDictionary(kv => MethodName(kv.Key), kv => kv.Value),
                h.Counters.FacialInterfaceCleanings, h.Counters.FacialInterfaceReplacements,
                Fleet.Domain.Hygiene.Telemetry.BatteryCycles(h.Counters.BatteryCycles, t.BatteryCycleCount)),
            Telemetry = new TelemetryView
            {
                BatteryPercent = t.BatteryPercent, Charging = t.Charging, BatteryTemperatureC = t.BatteryTemperatureC,
                BatteryHealthPercent = t.BatteryHealthPercent, BatteryCycleCount = t.BatteryCycleCount, BatteryAt = t.BatteryAt,
                DeviceModel = t.DeviceModel, Firmware = t.Firmware, Os = t.Os, StorageFreeMb = t.StorageFreeMb,
                WifiRssi = t.WifiRssi, DeviceInfoAt = t.DeviceInfoAt,
            },
            Lifetime = LifetimeCalculator.Parts(c.LifetimeInput(now)).Select(p => new LifetimePartView(
                DimensionName(p.Dimension), Math.Round(p.Used, 2), p.Rated, Math.Round(p.Fraction * 100, 1),
                LifetimeCalculator.Forecast(p, rates.PerDay(p.Dimension), now))).ToList(),
            Flags = c.OpenFlags.Select(FlagView).ToList(),
        };
    }

    public static FlagView FlagView(Flag f) => new()
    {
        Id = f.Id, HeadsetId = f.HeadsetId, Kind = f.Kind.WireName(), Note = f.Note, RaisedBy = f.RaisedBy, RaisedAt = f.RaisedAt,
        RaisedByRule = f.RaisedByRule, RaisedByRuleText = MotionSicknessRules.Describe(f.RaisedByRule, MotionSicknessPolicy.Default), Open = f.Open, ClearedAt = f.ClearedAt, ClearedBy = f.ClearedBy, ClearNote = f.ClearNote,
    };

    public static string MethodName(ProductClass c) => c switch
    {
        ProductClass.QuaternaryAmmonium => Methods.QuaternaryAmmonium,
        ProductClass.Alcohol70 => Methods.Alcohol70,
        ProductClass.HydrogenPeroxide => Methods.HydrogenPeroxide,
        ProductClass.HypochloriteSporicidal => Methods.Hypochlorite,
        ProductClass.UvcCabinet => Methods.Uvc,
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static bool TryParseMethod(string? name, out ProductClass c)
    {
        foreach (var k in Enum.GetValues<ProductClass>())
        {
            if (MethodName(k) == name) { c = k; return true; }
        }
        c = default;
        return false;
    }

    public static string DimensionName(LifetimeDimension d) => d switch
    {
        LifetimeDimension.ServiceYears => "service_years",
        LifetimeDimension.BatteryCycles => "battery_cycles",
        LifetimeDimension.FacialInterfaceCleanings => "facial_interface_cleanings",
        LifetimeDimension.HousingCleanings => "housing_cleanings",
        _ => d.ToString(),
    };
}
