using System.Text.Json.Nodes;
using Fleet.Domain.Sessions;
using static Fleet.Api.Fhir.FhirJson;

namespace Fleet.Api.Fhir;

/// <summary>A patient session as a FHIR R4 DeviceUseStatement.</summary>
public static class DeviceUseStatementResource
{
    public static JsonObject Build(Session s) => new()
    {
        ["resourceType"] = "DeviceUseStatement",
        ["id"] = s.Id.ToString(),
        ["identifier"] = new JsonArray(Identifier(SessionSystem, s.Id.ToString())),
        ["status"] = s.Open ? "active" : "completed",
        ["subject"] = Patient(s.PatientRef),
        ["timingPeriod"] = Period(s.StartedAt, s.EndedAt),
        ["recordedOn"] = Instant(s.EndedAt ?? s.StartedAt),
        ["source"] = User(s.StartedBy),
        ["device"] = Reference("Device", s.HeadsetId),
    };
}
