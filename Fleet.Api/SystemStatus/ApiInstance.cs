using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fleet.Api.SystemStatus;

/// <summary>
/// One API instance's heartbeat: written by that instance alone every ~15 s (<see cref="InstanceHeartbeat"/>), read by
/// whichever instance answers the System page, so the page lists every instance sharing the database. What the instance
/// measured (its per-minute ingest buckets, its health checks, its jobs' last runs) travels as JSON in the row: it is
/// read whole and never queried inside, and it lets a restarted instance pick up its own last hour again.
/// </summary>
public sealed class ApiInstance
{
    public required string Id { get; init; }
    public required DateTimeOffset StartedAt { get; set; }
    public required DateTimeOffset LastSeenAt { get; set; }
    public required string Status { get; set; }
    public string Checks { get; set; } = "[]";
    public string Minutes { get; set; } = "[]";
    public string Jobs { get; set; } = "[]";
}

internal sealed class ApiInstanceConfiguration : IEntityTypeConfiguration<ApiInstance>
{
    public void Configure(EntityTypeBuilder<ApiInstance> b)
    {
        b.ToTable("api_instances");
        b.HasKey(i => i.Id);
        b.Property(i => i.Id).HasMaxLength(200);
        b.Property(i => i.Status).HasMaxLength(20);
    }
}
