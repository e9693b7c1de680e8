using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.Users;

/// <summary>A person who signs in. Passwords are stored only as salted PBKDF2 hashes.</summary>
public sealed class UserAccount
{
    public required string Username { get; init; }
    public required string PasswordHash { get; set; }
    public List<string> Roles { get; set; } = [];

    /// <summary>The person's name as colleagues know it ("Alex Kim"); pages show it instead of the user name.</summary>
    public string? DisplayName { get; set; }
    public bool Active { get; set; } = true;
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Bumped on every password, role or activation change; tokens carrying an older stamp stop working.</summary>
    public int Stamp { get; set; }
}

internal sealed class UserAccountConfiguration : IEntityTypeConfiguration<UserAccount>
{
    public void Configure(EntityTypeBuilder<UserAccount> b)
    {
        b.ToTable("users");
        b.HasKey(u => u.Username);
        b.Property(u => u.Username).HasMaxLength(64);
        b.Property(u => u.PasswordHash).HasMaxLength(200);
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.PrimitiveCollection(u => u.Roles);
    }
}
