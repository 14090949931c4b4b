namespace CardMall.Infrastructure.Payments;

/// <summary>How a merchant id is shown to operators: enough to recognise it, not enough to copy it (2021****1234).</summary>
public static class MerchantIds
{
    public static string Mask(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return "—";
        id = id.Trim();
        return id.Length <= 8 ? new string('*', Math.Max(0, id.Length - 2)) + id[^Math.Min(2, id.Length)..] : id[..4] + "****" + id[^4..];
    }
}
