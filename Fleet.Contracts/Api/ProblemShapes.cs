namespace Fleet.Contracts.Api;

// The shapes of Fleet's RFC 9457 problem details, as the OpenAPI document declares them. The API writes them as
// problem details with extensions; these records say which extensions each kind of refusal carries.

/// <summary>Every error: <c>code</c> is the stable word a client switches on; <c>detail</c> is a sentence for a person.</summary>
public record Problem
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public int Status { get; init; }
    public string? Detail { get; init; }
    public required string Code { get; init; }
    public string? TraceId { get; init; }
}

/// <summary>400: the request could not be read or a field broke a rule; <c>errors</c> names each field.</summary>
public sealed record ValidationProblem : Problem
{
    public Dictionary<string, string[]> Errors { get; init; } = [];
}

/// <summary>422: a rule of the domain refused the change (e.g. <c>contact_time_not_met</c>), with every reason that holds.</summary>
public sealed record RuleProblem : Problem
{
    public List<Reason>? Reasons { get; init; }
}

/// <summary>409 from the assignment gate: the headset may not be handed to a patient, and every reason why.</summary>
public sealed record GateProblem : Problem
{
    public string? HeadsetId { get; init; }
    public List<Reason>? Reasons { get; init; }
    public List<Reason>? Warnings { get; init; }
}
