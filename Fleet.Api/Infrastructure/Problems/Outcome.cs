using Fleet.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure.Problems;

public enum FailureKind
{
    Validation,
    NotFound,
    Conflict,
    Refused,
    Blocked,
    Forbidden,
}

/// <summary>Why an application operation did not happen. REST turns it into problem details; MQTT into a dead letter or a log line.</summary>
public sealed record Failure(FailureKind Kind, IReadOnlyList<Refusal> Reasons, IReadOnlyList<Refusal>? Warnings = null, string? Subject = null)
{
    public Refusal First => Reasons[0];

    public static Failure NotFound(string what, string id) => new(FailureKind.NotFound, [new(Codes.NotFound, $"There is no {what} '{id}'.")], Subject: id);
    public static Failure Invalid(string field, string message) => new(FailureKind.Validation, [new(Codes.ValidationFailed, message)], Subject: field);
    public static Failure Conflict(Refusal r) => new(FailureKind.Conflict, [r]);
    public static Failure Refused(Refusal r) => new(FailureKind.Refused, [r]);
    public static Failure Refused(IReadOnlyList<Refusal> rs) => new(FailureKind.Refused, rs);

    public override string ToString() => $"{First.Code}: {string.Join(" ", Reasons.Select(r => r.Message))}";

    public ProblemHttpResult ToProblem() => Kind switch
    {
        FailureKind.Validation => Problems.Validation(Subject ?? "body", First.Message),
        FailureKind.NotFound => Problems.NotFound(First.Message),
        FailureKind.Conflict => Problems.Conflict(First.Message, First.Code),
        FailureKind.Refused => Problems.Refused(Reasons),
        FailureKind.Blocked => Problems.Blocked(Subject ?? "?", Reasons, Warnings ?? []),
        FailureKind.Forbidden => Problems.Forbidden(First.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };
}

/// <summary>A value or the reason there is none.</summary>
public readonly record struct Outcome<T>(T? Value, Failure? Failure)
{
    public bool Ok => Failure is null;

    /// <summary>The answer to an HTTP request: the refusal as problem details, or what <paramref name="ok"/> makes of the value.</summary>
    public Results<TOk, ProblemHttpResult> Respond<TOk>(Func<T, TOk> ok) where TOk : IResult =>
        Failure is { } f ? f.ToProblem() : ok(Value!);

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
