namespace CardMall.Infrastructure.Suppliers;

/// <summary>
/// The built-in sandbox supplier's answer for one key, set from the admin pages or the API. The key is
/// held only as its fingerprint, like everywhere else. Keys with no row answer "unused".
/// </summary>
public sealed class SandboxSupplierKey
{
    private SandboxSupplierKey() { }

    public SandboxSupplierKey(byte[] codeHash, string answer, DateTimeOffset? redeemedAt, DateTimeOffset now)
    {
        CodeHash = codeHash;
        Answer = answer;
        RedeemedAt = redeemedAt;
        UpdatedAt = now;
    }

    public byte[] CodeHash { get; private set; } = [];
    /// <summary>unused, redeemed, invalid, slow, error.</summary>
    public string Answer { get; set; } = "unused";
    public DateTimeOffset? RedeemedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
