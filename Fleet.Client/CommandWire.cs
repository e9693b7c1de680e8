namespace Fleet.Client;

// The device-command bodies of POST/GET /api/v1/headsets/{id}/commands. Fleet.Api declares them in its Commands
// feature, not in Fleet.Contracts; these mirror the wire shape field for field.

public sealed record CommandRequest(string Command, int? TtlSeconds);

public sealed record CommandView(Guid Id, string HeadsetId, string Command, string IssuedBy, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? PublishedAt, bool? ResultOk, string? ResultDetail, DateTimeOffset? ResultAt);
