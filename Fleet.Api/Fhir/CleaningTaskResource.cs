using System.Text.Json.Nodes;
using Fleet.Domain.Catalog;
using Fleet.Domain.Hygiene;
using static Fleet.Api.Fhir.FhirJson;

namespace Fleet.Api.Fhir;

/// <summary>
/// A cleaning as a FHIR R4 Task (R4 has no resource for cleaning a device: Procedure.subject allows only Patient or Group).
/// </summary>
public static class CleaningTaskResource
{
    public const string DecontaminationCode = "409530006";

    /// <param name="correctedBy">The record that corrects this one, if any: this one is then entered in error.</param>
    public static JsonObject Build(CleaningRecord r, DisinfectantProduct? product, Guid? correctedBy = null)
    {
        var task = new JsonObject
        {
            ["resourceType"] = "Task",
            ["id"] = r.Id.ToString(),
            ["identifier"] = new JsonArray(Identifier(CleaningSystem, r.Id.ToString())),
            ["status"] = correctedBy is not null ? "entered-in-error" : r.Status switch
            {
                CleaningStatus.Valid => "completed",
                CleaningStatus.Invalid => "failed",
                CleaningStatus.Abandoned => "cancelled",
                _ => "in-progress",
            },
            ["intent"] = "order",
            ["code"] = Concept(Coding(Snomed, DecontaminationCode, "Decontamination (procedure)")),
            ["description"] = $"Cleaning of headset {r.HeadsetId} with {product?.Name ?? r.ProductId}.",
            ["focus"] = Reference("Device", r.HeadsetId),
            ["executionPeriod"] = Period(r.StartedAt, r.CompletedAt),
            ["authoredOn"] = Instant(r.RecordedAt),
            ["lastModified"] = Instant(r.CompletedAt ?? r.RecordedAt),
            ["owner"] = r.CabinetId is { } cabinet ? new JsonObject { ["display"] = $"UV-C cabinet {cabinet}" } : User(r.Operator),
            ["input"] = Inputs(r, product),
        };
        if (StatusReason(r, correctedBy) is { } reason) task["statusReason"] = reason;
        return task;
    }

    private static JsonObject? StatusReason(CleaningRecord r, Guid? correctedBy) => correctedBy is { } by
        ? Concept(null, $"Corrected by cleaning record {by}.")
        : r.Status switch
    {
        // One CodeableConcept means one concept, so a code only when exactly one rule was broken; the text names them all.
        CleaningStatus.Invalid => Concept(r.InvalidCodeList.Count == 1 ? Coding(ProblemSystem, r.InvalidCodeList[0]) : null,
            string.Join(" ", r.Problems.Select(p => $"{p.Code}: {p.Message}"))),
        CleaningStatus.Abandoned => Concept(null, r.Note ?? "Abandoned."),
        _ => null,
    };

    private static JsonArray Inputs(CleaningRecord r, DisinfectantProduct? product)
    {
        var inputs = new JsonArray(
            Input("product", "Disinfectant product", "valueCodeableConcept",
                Concept(Coding(FleetBase + "/CodeSystem/product", r.ProductId, product?.Name), product?.Class.Describe())),
            Input("contact-time", "Required wet contact time", "valueQuantity", Quantity(r.ContactSeconds, "s", "s")));
        if (r.CompletedAt is { } done)
            inputs.Add(Input("actual-contact-time", "Time from start to completion", "valueQuantity",
                Quantity(Math.Round((done - r.StartedAt).TotalSeconds), "s", "s")));
        // Yes/no facts are listed only when they hold: FHIR.js, the validator the tests use, takes a false value[x]
        // for a missing one and would reject an otherwise valid Task.
        if (r.FacialInterfaceReplaced) inputs.Add(Fact("facial-interface-replaced", "Facial interface or liner replaced"));
        if (r.SporicidalRequired) inputs.Add(Fact("sporicidal-required", "Sporicidal product required (contact precautions)"));
        if (r.Late) inputs.Add(Fact("logged-late", "Logged after the fact"));
        return inputs;
    }

    private static JsonObject Fact(string code, string display) => Input(code, display, "valueBoolean", true);

    private static JsonObject Input(string code, string display, string valueKey, JsonNode? value) => new()
    {
        ["type"] = Concept(Coding(TaskInputSystem, code, display)),
        [valueKey] = value,
    };
}
