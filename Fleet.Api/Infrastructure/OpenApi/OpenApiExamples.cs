using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Contracts.Api;
using Fleet.Domain;

namespace Fleet.Api.Infrastructure.OpenApi;

/// <summary>
/// Examples of the main bodies, in the document beside their schemas. They name the development seed's headsets,
/// wards and products, so each request example works as written against a development start (a test sends them).
/// </summary>
public static class OpenApiExamples
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
    private static readonly Reason Dirty = new(Codes.NotClean, "HS-0001 has not been cleaned since its last patient.");

    private static readonly Dictionary<Type, object> Examples = new()
    {
        [typeof(TokenRequest)] = new TokenRequest("nurse", "fleet"),
        [typeof(AssignRequest)] = new AssignRequest("HS-0001", "MRN-0042", "paediatrics", 30, ["contact"]),
        [typeof(StartCleaningRequest)] = new StartCleaningRequest("quat-wipe"),
        [typeof(CompleteCleaningRequest)] = new CompleteCleaningRequest(false, "Facial interface wiped twice."),
        [typeof(LogCleaningRequest)] = new LogCleaningRequest("quat-wipe", At.AddMinutes(-5), At, false, "Logged after the fact.", null),
        [typeof(RaiseFlagRequest)] = new RaiseFlagRequest("motion_sickness", "Patient felt nauseous after 10 minutes."),
        [typeof(ComfortReportRequest)] = new ComfortReportRequest(null, 2, "Mild discomfort at the end."),
        [typeof(RegisterHeadsetRequest)] = new RegisterHeadsetRequest("SN-QUEST-3-2001", "VR-101", "quest-3", "paediatrics"),
        [typeof(SessionView)] = new SessionView
        {
            Id = Guid.Parse("0193a5c2-7f1e-7b3a-9c1d-2f4e5a6b7c8d"), HeadsetId = "HS-0001", PatientRef = "MRN-0042",
            WardId = "paediatrics", SessionMinutes = 30, Precautions = ["contact"], StartedAt = At, StartedBy = "scheduler",
        },
        [typeof(Readiness)] = new Readiness("HS-0001", false, "Dirty", 30, [Dirty], []),
        [typeof(GateProblem)] = new GateProblem
        {
            Type = "https://fleet.example/problems/not-clean", Title = "Headset may not be assigned", Status = 409,
            Detail = "HS-0001 may not be handed to a patient: " + Dirty.Message, Code = Codes.NotClean,
            HeadsetId = "HS-0001", Reasons = [Dirty], Warnings = [],
        },
        [typeof(ValidationProblem)] = new ValidationProblem
        {
            Type = "https://fleet.example/problems/validation-failed", Title = "Validation failed", Status = 400,
            Detail = "The request is not valid: sessionMinutes: must be between 1 and 480.", Code = Codes.ValidationFailed,
            Errors = new() { ["sessionMinutes"] = ["must be between 1 and 480."] },
        },
    };

    public static JsonNode? For(Type type, JsonSerializerOptions options) =>
        Examples.TryGetValue(type, out var example) ? JsonSerializer.SerializeToNode(example, type, options) : null;
}
