using CardMall.Domain.CardKeys;

namespace CardMall.Application.Features.CardKeys;

/// <summary>How many keys are in each state: a batch's or a product's stock at a glance.</summary>
public sealed record KeyStateCounts(int Available, int Sold, int Redeemed, int Frozen, int Void)
{
    public static readonly KeyStateCounts None = new(0, 0, 0, 0, 0);

    public int Total => Available + Sold + Redeemed + Frozen + Void;

    public static KeyStateCounts From(IEnumerable<(CardKeyState State, int Count)> groups)
    {
        var byState = groups.GroupBy(g => g.State).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        return new KeyStateCounts(
            byState.GetValueOrDefault(CardKeyState.Available),
            byState.GetValueOrDefault(CardKeyState.Sold),
            byState.GetValueOrDefault(CardKeyState.Redeemed),
            byState.GetValueOrDefault(CardKeyState.Frozen),
            byState.GetValueOrDefault(CardKeyState.Void));
    }

    public static Dictionary<Guid, KeyStateCounts> ByBatch(IEnumerable<Abstractions.KeyCount> counts) =>
        counts.GroupBy(c => c.BatchId).ToDictionary(g => g.Key, g => From(g.Select(c => (c.State, c.Keys))));

    public static Dictionary<Guid, KeyStateCounts> ByProduct(IEnumerable<Abstractions.KeyCount> counts) =>
        counts.GroupBy(c => c.ProductId).ToDictionary(g => g.Key, g => From(g.Select(c => (c.State, c.Keys))));
}
