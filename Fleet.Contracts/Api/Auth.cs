namespace Fleet.Contracts.Api;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles, string Username);

public sealed record UserView(string Username, IReadOnlyList<string> Roles, bool Active, DateTimeOffset CreatedAt);

public sealed record CreateUserRequest(string? Username, string? Password, IReadOnlyList<string>? Roles);

public sealed record UpdateUserRequest(string? Password, IReadOnlyList<string>? Roles, bool? Active);

/// <summary>The caller as the API sees them: the name the audit trail uses and the Fleet roles the token carries.</summary>
public sealed record WhoAmI(string Username, IReadOnlyList<string> Roles, string SignedInWith);
