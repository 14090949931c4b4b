using CardMall.Domain.Accounts;

namespace CardMall.Domain.Catalog;

/// <summary>
/// Something the shop sells: its names, prices per tier, order limits and the pre-purchase notices a
/// buyer must accept (交易前：风险前置). Notices are versioned: an order records the version accepted.
/// </summary>
public sealed class Product
{
    private Product() { }

    public Product(string sku, Guid categoryId, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        Sku = sku;
        CategoryId = categoryId;
        CreatedAt = now;
        UpdatedAt = now;
        MinPerOrder = 1;
        MaxPerOrder = 10;
        IsActive = true;
    }

    public Guid Id { get; private set; }
    public string Sku { get; private set; } = "";
    public Guid CategoryId { get; set; }
    public string NameZh { get; set; } = "";
    public string NameEn { get; set; } = "";
    public string DescriptionZh { get; set; } = "";
    public string DescriptionEn { get; set; } = "";
    public decimal FaceValue { get; set; }
    public decimal Price { get; set; }
    public decimal? VipPrice { get; set; }
    public decimal? ResellerPrice { get; set; }
    public int MinPerOrder { get; set; }
    public int MaxPerOrder { get; set; }
    public int? MaxPerBuyerPerDay { get; set; }
    public bool IsActive { get; set; }
    /// <summary>Codes the platform itself issues (CardMall Plus): redeemed on our own redeem page, not at a supplier.</summary>
    public bool IsPlatformIssued { get; set; }
    public int ValidityDays { get; private set; }
    public int DeviceLimit { get; private set; }
    /// <summary>Where the key works, as shown to buyers (e.g. "中国大陆").</summary>
    public string Regions { get; private set; } = "";
    public int NoticesVersion { get; private set; }
    /// <summary>
    /// A knowledge-base article pushed to the buyer after a purchase (e.g. 会员账号安全设置指南 for a membership),
    /// once per buyer; null when the product has none.
    /// </summary>
    public Guid? GuideArticleId { get; set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string Name(bool english) => english ? NameEn : NameZh;
    public string Description(bool english) => english ? DescriptionEn : DescriptionZh;

    /// <summary>The price this buyer pays: a tier without its own price pays the next lower tier's.</summary>
    public decimal PriceFor(MemberTier tier) => tier switch
    {
        MemberTier.Reseller => ResellerPrice ?? VipPrice ?? Price,
        MemberTier.Vip => VipPrice ?? Price,
        _ => Price,
    };

    /// <summary>
    /// Changes what buyers must accept. Returns the new version's snapshot, which is kept for ever so
    /// a dispute can show exactly what the buyer ticked.
    /// </summary>
    public ProductNotices ReviseNotices(int validityDays, int deviceLimit, string regions, string refundPolicyZh, string refundPolicyEn, DateTimeOffset now)
    {
        ValidityDays = validityDays;
        DeviceLimit = deviceLimit;
        Regions = regions;
        NoticesVersion++;
        UpdatedAt = now;
        return new ProductNotices(Id, NoticesVersion, validityDays, deviceLimit, regions, refundPolicyZh, refundPolicyEn, now);
    }
}

/// <summary>One version of a product's pre-purchase notices, as the buyer saw it.</summary>
public sealed class ProductNotices
{
    private ProductNotices() { }

    public ProductNotices(Guid productId, int version, int validityDays, int deviceLimit, string regions, string refundPolicyZh, string refundPolicyEn, DateTimeOffset createdAt)
    {
        ProductId = productId;
        Version = version;
        ValidityDays = validityDays;
        DeviceLimit = deviceLimit;
        Regions = regions;
        RefundPolicyZh = refundPolicyZh;
        RefundPolicyEn = refundPolicyEn;
        CreatedAt = createdAt;
    }

    public Guid ProductId { get; private set; }
    public int Version { get; private set; }
    public int ValidityDays { get; private set; }
    public int DeviceLimit { get; private set; }
    public string Regions { get; private set; } = "";
    public string RefundPolicyZh { get; private set; } = "";
    public string RefundPolicyEn { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public string RefundPolicy(bool english) => english ? RefundPolicyEn : RefundPolicyZh;
}

/// <summary>充足 / 少量 / 缺货: what a buyer sees instead of an exact count.</summary>
public enum StockLevel
{
    SoldOut = 0,
    Few = 1,
    Plenty = 2,
}

public static class StockLevels
{
    /// <summary>Below this many available keys the shop says "few left".</summary>
    public const int FewThreshold = 10;

    public static StockLevel Of(int available) =>
        available <= 0 ? StockLevel.SoldOut : available < FewThreshold ? StockLevel.Few : StockLevel.Plenty;

    public static string ToApi(this StockLevel level) => level switch
    {
        StockLevel.Plenty => "plenty",
        StockLevel.Few => "few",
        _ => "sold_out",
    };
}
