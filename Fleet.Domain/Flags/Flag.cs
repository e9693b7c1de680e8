namespace Fleet.Domain.Flags;

/// <summary>A hold on a headset, raised by a person or a rule, cleared by an authorised person with a note.</summary>
public sealed class Flag
{
    public required Guid Id { get; init; }
    public required string HeadsetId { get; init; }
    public required FlagKind Kind { get; init; }
    public required string Note { get; init; }
    public required string RaisedBy { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>The rule that raised it automatically, or null when a person did.</summary>
    public string? RaisedByRule { get; init; }
    public DateTimeOffset? ClearedAt { get; private set; }
    public string? ClearedBy { get; private set; }
    public string? ClearNote { get; private set; }

    public bool Open => ClearedAt is null;

    /// <summary>Only a biomedical engineer (or an administrator) clears a hold, and only with an inspection note.</summary>
    public static bool MayClear(IEnumerable<string> roles) =>
        roles.Any(r => r is Roles.Biomed or Roles.Admin);

    public Refusal? Clear(DateTimeOffset at, string by, IEnumerable<string> roles, string note)
    {
        if (!MayClear(roles)) return new(Codes.Forbidden, "Only a biomedical engineer may clear a hold.");
        if (!Open) return new(Codes.Conflict, "This hold has already been cleared.");
        if (string.IsNullOrWhiteSpace(note)) return new(Codes.ValidationFailed, "Clearing a hold needs an inspection note.");
        ClearedAt = at;
        ClearedBy = by;
        ClearNote = note;
        return null;
    }
}
