using Fleet.Domain.Sessions;
using Hl7.Fhir.Model;
using static Fleet.Api.Clinical.Fhir.FhirTypes;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>A patient session as a FHIR R4 DeviceUseStatement.</summary>
public static class DeviceUseStatementResource
{
    public static DeviceUseStatement Build(Session s) => new()
    {
        Id = s.Id.ToString(),
        Identifier = [new Identifier(SessionSystem, s.Id.ToString())],
        Status = s.Open ? DeviceUseStatement.DeviceUseStatementStatus.Active : DeviceUseStatement.DeviceUseStatementStatus.Completed,
        Subject = Patient(s.PatientRef),
        Timing = Period(s.StartedAt, s.EndedAt),
        RecordedOn = Instant(s.EndedAt ?? s.StartedAt),
        Source = User(s.StartedBy),
        Device = Reference("Device", s.HeadsetId),
    };
}
