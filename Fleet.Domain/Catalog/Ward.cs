using Fleet.Domain.Hygiene;

namespace Fleet.Domain.Catalog;

/// <summary>A ward or clinic area; it owns the hygiene policy of the headsets in it.</summary>
public sealed class Ward
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public HygienePolicy Policy { get; set; } = HygienePolicy.Default;
}
