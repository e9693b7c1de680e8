namespace Fleet.Domain.Catalog;

/// <summary>A disinfectant from the catalogue that infection prevention edits.</summary>
public sealed class DisinfectantProduct
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required ProductClass Class { get; set; }

    /// <summary>Required wet contact time from the label (for UV-C: the full cycle length).</summary>
    public required int ContactSeconds { get; set; }

    public int? DrySeconds { get; set; }
    public bool Active { get; set; } = true;

    public bool Sporicidal => Class.IsSporicidal();
    public TimeSpan ContactTime => TimeSpan.FromSeconds(ContactSeconds);
}
