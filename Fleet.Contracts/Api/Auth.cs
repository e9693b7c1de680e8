namespace Fleet.Contracts.Api;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles, string Username);

public sealed record UserView(string Username, IReadOnlyList<string> Roles, bool Active, DateTimeOffset CreatedAt);

public sealed record CreateUserRequest(string? Username, string? Password, IReadOnlyList<string>? Roles);

public sealed record UpdateUserRequest(string? Password, IReadOnlyList<string>? Roles, bool? Active);
