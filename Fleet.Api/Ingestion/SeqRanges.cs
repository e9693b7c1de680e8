using System.Globalization;
using System.Text;
using Fleet.Contracts.Api;

namespace Fleet.Api.Ingestion;

/// <summary>
/// The seq numbers received from one agent, as sorted disjoint ranges, so that gaps (events never received)
/// can be reported and closed when a late event fills them. Bounded: past <see cref="MaxRanges"/> the oldest gap is
/// forgotten (its size is kept in the missing count) so a badly broken agent cannot grow the row without limit.
/// </summary>
public sealed class SeqRanges
{
    public const int MaxRanges = 1000;
    private readonly List<(long From, long To)> _ranges = [];

    public long ForgottenMissing { get; private set; }

    public long LastSeq => _ranges.Count == 0 ? 0 : _ranges[^1].To;

    public static SeqRanges Parse(string text)
    {
        var r = new SeqRanges();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith('f'))
            {
                r.ForgottenMissing = long.Parse(part.AsSpan(1), CultureInfo.InvariantCulture);
                continue;
            }
            var dash = part.IndexOf('-', 1);
            r._ranges.Add((long.Parse(part.AsSpan(0, dash), CultureInfo.InvariantCulture), long.Parse(part.AsSpan(dash + 1), CultureInfo.InvariantCulture)));
        }
        return r;
    }

    /// <summary>Adds one seq; false when it was already there.</summary>
    public bool Add(long seq)
    {
        // Find the first range that ends at or after seq - 1 (binary search would do; agents mostly append).
        var i = _ranges.Count;
        while (i > 0 && _ranges[i - 1].To >= seq - 1) i--;
        if (i < _ranges.Count && _ranges[i].From <= seq && seq <= _ranges[i].To) return false;

        var joinsLeft = i < _ranges.Count && _ranges[i].To == seq - 1;
        var rightIndex = joinsLeft ? i + 1 : i;
        var joinsRight = rightIndex < _ranges.Count && _ranges[rightIndex].From == seq + 1;
        if (joinsLeft && joinsRight)
        {
            _ranges[i] = (_ranges[i].From, _ranges[rightIndex].To);
            _ranges.RemoveAt(rightIndex);
        }
        else if (joinsLeft) _ranges[i] = (_ranges[i].From, seq);
        else if (joinsRight) _ranges[rightIndex] = (seq, _ranges[rightIndex].To);
        else _ranges.Insert(rightIndex, (seq, seq));

        while (_ranges.Count > MaxRanges)
        {
            ForgottenMissing += _ranges[1].From - _ranges[0].To - 1;
            _ranges[1] = (_ranges[0].From, _ranges[1].To);
            _ranges.RemoveAt(0);
        }
        return true;
    }

    /// <summary>The holes below the highest seq received. Seq numbers start at 1, so a first event with seq 5 leaves 1-4 missing.</summary>
    public IReadOnlyList<SeqGap> Gaps()
    {
        var gaps = new List<SeqGap>();
        long next = 1;
        foreach (var (from, to) in _ranges)
        {
            if (from > next) gaps.Add(new SeqGap(next, from - 1));
            next = to + 1;
        }
        return gaps;
    }

    /// <summary>
    /// What a confirmation says (see <c>ConfirmedMessage</c>): everything up to the end of the range that reaches down to
    /// <paramref name="floor"/> + 1, and the newest <paramref name="maxRanges"/> ranges above it. <paramref name="floor"/>
    /// is how far earlier confirmations moved past gaps given up as lost; 0 at first.
    /// </summary>
    public (long UpTo, List<long[]> Above) Confirmation(long floor, int maxRanges)
    {
        var upTo = floor;
        var first = 0;
        while (first < _ranges.Count && _ranges[first].From <= upTo + 1)
        {
            upTo = Math.Max(upTo, _ranges[first].To);
            first++;
        }
        var above = new List<long[]>();
        for (var i = Math.Max(first, _ranges.Count - maxRanges); i < _ranges.Count; i++) above.Add([_ranges[i].From, _ranges[i].To]);
        return (upTo, above);
    }

    /// <summary>The first seq above <paramref name="upTo"/> that was received, or null when none was.</summary>
    public long? NextReceivedAbove(long upTo)
    {
        foreach (var (from, to) in _ranges)
            if (to > upTo) return Math.Max(from, upTo + 1);
        return null;
    }

    public long MissingCount => ForgottenMissing + Gaps().Sum(g => g.To - g.From + 1);

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (from, to) in _ranges) sb.Append(CultureInfo.InvariantCulture, $"{from}-{to},");
        if (ForgottenMissing > 0) sb.Append(CultureInfo.InvariantCulture, $"f{ForgottenMissing}");
        return sb.ToString().TrimEnd(',');
    }
}
