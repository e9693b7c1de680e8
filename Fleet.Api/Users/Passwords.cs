using Microsoft.AspNetCore.Identity;

namespace Fleet.Api.Users;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher (salted, iterated), used on its own without the Identity store.</summary>
public static class Passwords
{
    public const int MinimumLength = 10;
    private static readonly PasswordHasher<UserAccount> Hasher = new();
    private static readonly UserAccount Nobody = new() { Username = "", PasswordHash = "", CreatedAt = default };
    private static readonly string DummyHash = Hasher.HashPassword(Nobody, Guid.NewGuid().ToString());

    public static string Hash(string password) => Hasher.HashPassword(Nobody, password);

    public static bool Verify(UserAccount? user, string password)
    {
        // Hash even for an unknown user so the answer takes as long either way.
        var result = Hasher.VerifyHashedPassword(Nobody, user?.PasswordHash ?? DummyHash, password);
        return user is not null && result != PasswordVerificationResult.Failed;
    }

    public static string? Weakness(string password) =>
        password.Length < MinimumLength ? $"must be at least {MinimumLength} characters." : null;
}
