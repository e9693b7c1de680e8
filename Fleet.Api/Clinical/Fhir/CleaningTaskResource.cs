using Fleet.Domain.Catalog;
using Fleet.Domain.Cleaning;
using Fleet.Domain.Hygiene;
using Hl7.Fhir.Model;
using static Fleet.Api.Clinical.Fhir.FhirTypes;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Fleet.Api.Clinical.Fhir;

/// <summary>
/// A cleaning as a FHIR R4 Task (R4 has no resource for cleaning a device: Procedure.subject allows only Patient or Group).
/// </summary>
public static class CleaningTaskResource
{
    public const string DecontaminationCode = "409530006";

    /// <param name="correctedBy">The record that corrects this one, if any: this one is then entered in error.</param>
    public static FhirTask Build(CleaningRecord r, DisinfectantProduct? product, Guid? correctedBy = null) => new()
    {
        Id = r.Id.ToString(),
        Identifier = [new Identifier(CleaningSystem, r.Id.ToString())],
        Status = correctedBy is not null ? FhirTask.TaskStatus.EnteredInError : r.Status switch
        {
            CleaningStatus.Valid => FhirTask.TaskStatus.Completed,
            CleaningStatus.Invalid => FhirTask.TaskStatus.Failed,
            CleaningStatus.Abandoned => FhirTask.TaskStatus.Cancelled,
            _ => FhirTask.TaskStatus.InProgress,
        },
        StatusReason = StatusReason(r, correctedBy),
        Intent = FhirTask.TaskIntent.Order,
        Code = Concept(Code(Snomed, DecontaminationCode, "Decontamination (procedure)")),
        Description = $"Cleaning of headset {r.HeadsetId} with {product?.Name ?? r.ProductId}.",
        Focus = Reference("Device", r.HeadsetId),
        ExecutionPeriod = Period(r.StartedAt, r.CompletedAt),
        AuthoredOn = Instant(r.RecordedAt),
        // A cleaning logged after the fact was recorded after it ended; the record changed last at the later of the two
        // (Task inv-1: lastModified may not precede authoredOn).
        LastModified = Instant(r.CompletedAt is { } done && done > r.RecordedAt ? done : r.RecordedAt),
        Owner = r.CabinetId is { } cabinet ? new ResourceReference { Display = $"UV-C cabinet {cabinet}" } : User(r.Operator),
        Input = Inputs(r, product),
    };

    private static CodeableConcept? StatusReason(CleaningRecord r, Guid? correctedBy) => correctedBy is { } by
        ? Concept(null, $"Corrected by cleaning record {by}.")
        : r.Status switch
    {
        // One CodeableConcept means one concept, so a code only when exactly one rule was broken; the text names them all.
        CleaningStatus.Invalid => Concept(r.InvalidCodeList.Count == 1 ? Code(ProblemSystem, r.InvalidCodeList[0]) : null,
            string.Join(" ", r.Problems.Select(p => $"{p.Code}: {p.Message}"))),
        CleaningStatus.Abandoned => Concept(null, r.Note ?? "Abandoned."),
        _ => null,
    };

    private static List<FhirTask.ParameterComponent> Inputs(CleaningRecord r, DisinfectantProduct? product)
    {
        List<FhirTask.ParameterComponent> inputs =
        [
            Input("product", "Disinfectant product",
                Concept(Code(FleetBase + "/CodeSystem/product", r.ProductId, product?.Name), product?.Class.Describe())),
            Input("contact-time", "Required wet contact time", Quantity(r.ContactSeconds, "s", "s")),
        ];
        if (r.CompletedAt is { } done)
            inputs.Add(Input("actual-contact-time", "Time from start to completion", Quantity(Math.Round((done - r.StartedAt).TotalSeconds), "s", "s")));
        // Yes/no facts are listed only when they hold: FHIR.js, one of the validators the tests use, takes a false
        // value[x] for a missing one and would reject an otherwise valid Task.
        if (r.FacialInterfaceReplaced) inputs.Add(Fact("facial-interface-replaced", "Facial interface or liner replaced"));
        if (r.SporicidalRequired) inputs.Add(Fact("sporicidal-required", "Sporicidal product required (contact precautions)"));
        if (r.Late) inputs.Add(Fact("logged-late", "Logged after the fact"));
        return inputs;
    }

    private static FhirTask.ParameterComponent Fact(string code, string display) => Input(code, display, new FhirBoolean(true));

    private static FhirTask.ParameterComponent Input(string code, string display, DataType value) =>
        new() { Type = Concept(Code(TaskInputSystem, code, display)), Value = value };
}
