namespace Fleet.Contracts.Api;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles, string Username);

public sealed record UserView(string Username, IReadOnlyList<string> Roles, bool Active, DateTimeOffset CreatedAt, string? DisplayName = null);

/// <summary>Who a user name is, for showing "Alex Kim, nurse" instead of "nurse1" (GET /api/v1/people).</summary>
public sealed record PersonView(string Username, string? DisplayName, IReadOnlyList<string> Roles, bool Active);

public sealed record CreateUserRequest(string? Username, string? Password, IReadOnlyList<string>? Roles, string? DisplayName = null);

/// <summary>Null leaves a field as it is; an empty <paramref name="DisplayName"/> removes it.</summary>
public sealed record UpdateUserRequest(string? Password, IReadOnlyList<string>? Roles, bool? Active, string? DisplayName = null);

/// <summary>The caller as the API sees them: the name the audit trail uses and the Fleet roles the token carries.</summary>
public sealed record WhoAmI(string Username, IReadOnlyList<string> Roles, string SignedInWith);
