using System.Globalization;
using System.Security.Cryptography;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Catalog;
using CardMall.Domain.Wallets;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// The demo shop's shelves: nine products across the three categories, a supplier, a few hundred keys
/// (one product nearly sold out, one sold out, so every stock level shows) and starting balances so
/// the demo buyers can buy at once. Seeded once: a shop that has products is left alone.
/// </summary>
internal static class DemoCatalog
{
    private sealed record DemoProduct(string Sku, string Category, string NameZh, string NameEn, string DescZh, string DescEn,
        decimal Face, decimal Price, decimal? Vip, decimal? Reseller, int ValidityDays, int DeviceLimit, string Regions, int MaxPerOrder, int? PerDay, int Keys);

    private static readonly DemoProduct[] Products =
    [
        new("WOW-60", "game-cards", "魔兽世界 60 元点卡", "World of Warcraft 60 CNY game card",
            "战网点卡，可兑换魔兽世界游戏时间或战网余额。", "A Battle.net point card for World of Warcraft game time or Battle.net balance.",
            60m, 57.00m, 56.00m, 54.50m, 365, 1, "中国大陆", 10, null, 60),
        new("NETEASE-100", "game-cards", "网易一卡通 100 元", "NetEase One Card 100 CNY",
            "适用于网易旗下多款游戏的点数充值。", "Points for the NetEase family of games.",
            100m, 96.00m, 95.00m, 93.00m, 730, 1, "中国大陆", 10, null, 50),
        new("GENSHIN-648", "game-cards", "原神 创世结晶 6480", "Genshin Impact 6480 Genesis Crystals",
            "原神官方服务器充值兑换码，兑换 6480 创世结晶。", "A redeem code for 6480 Genesis Crystals on the official Genshin Impact servers.",
            648m, 618.00m, 612.00m, 600.00m, 180, 1, "中国大陆（官服）", 5, 10, 30),
        new("STEAM-WALLET-100", "activation-codes", "Steam 钱包充值码 100 元", "Steam Wallet code 100 CNY",
            "在 Steam 客户端兑换，为钱包充值 100 元人民币。", "Redeem in the Steam client to add 100 CNY to your Steam Wallet.",
            100m, 98.00m, 97.00m, 95.00m, 3650, 1, "中国大陆（人民币区账户）", 10, null, 50),
        new("WIN11-PRO", "activation-codes", "Windows 11 专业版激活码", "Windows 11 Pro activation key",
            "零售版数字许可证，可在一台电脑上激活 Windows 11 专业版。", "A retail digital licence that activates Windows 11 Pro on one PC.",
            1399m, 199.00m, 189.00m, 169.00m, 3650, 1, "全球", 5, null, 40),
        new("OFFICE-2021", "activation-codes", "Office 2021 家庭和学生版", "Office 2021 Home & Student",
            "一次购买，永久使用 Word、Excel、PowerPoint。", "Buy once and keep Word, Excel and PowerPoint for good.",
            748m, 229.00m, 219.00m, 199.00m, 3650, 1, "全球", 5, null, 0),
        new("IQIYI-VIP-M", "memberships", "爱奇艺黄金会员 月卡", "iQIYI Gold VIP, 1 month",
            "爱奇艺黄金会员 1 个月，支持手机、电脑、平板。", "One month of iQIYI Gold VIP on phone, computer and tablet.",
            30m, 19.80m, 19.00m, 18.00m, 90, 5, "中国大陆", 10, 20, 40),
        new("QQMUSIC-GREEN-Y", "memberships", "QQ音乐绿钻 年卡", "QQ Music Green Diamond, 12 months",
            "QQ音乐豪华绿钻 12 个月，畅听曲库与高品质音质。", "Twelve months of QQ Music Green Diamond: the full library in high quality.",
            180m, 128.00m, 125.00m, 120.00m, 90, 3, "中国大陆", 5, null, 25),
        new("CARDMALL-PLUS-M", "memberships", "CardMall Plus 会员月卡", "CardMall Plus membership, 1 month",
            "在 CardMall 自助兑换，享受专属折扣与优先售后。", "Redeemed on CardMall itself: member prices and priority after-sales.",
            15m, 12.00m, null, null, 60, 1, "全球", 3, 3, 6),
    ];

    /// <summary>The demo's membership that CardMall issues itself: redeemed on /Redeem, not at a supplier.</summary>
    public const string PlatformIssuedSku = "CARDMALL-PLUS-M";

    /// <summary>
    /// Stocks the shelves as they were when the shop opened (<paramref name="now"/>, the opening). The keys
    /// are good for the product's validity from <paramref name="today"/>: the demo is always a shop open for
    /// business, however long ago its history says it opened.
    /// </summary>
    public static async Task SeedAsync(CardMallDbContext db, ICardKeyVault vault, Guid operatorId, DateTimeOffset now, DateTimeOffset today, CancellationToken ct)
    {
        // A demo shop seeded before platform-issued codes existed learns it here, once.
        await db.Products.Where(p => p.Sku == PlatformIssuedSku && !p.IsPlatformIssued)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.IsPlatformIssued, true), ct);
        await LinkGuidesAsync(db, ct);
        if (await db.Products.AnyAsync(ct)) return;

        var categories = await db.Categories.ToDictionaryAsync(c => c.Slug, c => c.Id, ct);
        var supplier = await db.Suppliers.FirstOrDefaultAsync(s => s.Code == "DEMO-SUPPLY", ct);
        if (supplier is null)
        {
            supplier = new Supplier("DEMO-SUPPLY", "星河数卡（演示供应商）", vault.SealSecret("demo-supplier-webhook-secret"), now);
            db.Suppliers.Add(supplier);
        }
        var refundZh = AppText.Get("Notices.RefundPolicy", CultureInfo.GetCultureInfo("zh-CN"));
        var refundEn = AppText.Get("Notices.RefundPolicy", CultureInfo.GetCultureInfo("en-US"));

        foreach (var d in Products)
        {
            var product = new Product(d.Sku, categories[d.Category], now)
            {
                NameZh = d.NameZh,
                NameEn = d.NameEn,
                DescriptionZh = d.DescZh,
                DescriptionEn = d.DescEn,
                FaceValue = d.Face,
                Price = d.Price,
                VipPrice = d.Vip,
                ResellerPrice = d.Reseller,
                MaxPerOrder = d.MaxPerOrder,
                MaxPerBuyerPerDay = d.PerDay,
                IsPlatformIssued = d.Sku == PlatformIssuedSku,
            };
            db.Products.Add(product);
            db.ProductNotices.Add(product.ReviseNotices(d.ValidityDays, d.DeviceLimit, d.Regions, refundZh, refundEn, now));
            if (d.Keys == 0) continue;

            var expires = ExpiryOf(d.Sku, today);
            var batch = new KeyBatch(product.Id, supplier.Id, decimal.Round(d.Price * 0.9m, 2), expires, operatorId, "demo-" + d.Sku.ToLowerInvariant(), now)
            {
                LineCount = d.Keys,
                ImportedCount = d.Keys,
            };
            db.KeyBatches.Add(batch);
            for (var i = 0; i < d.Keys; i++) db.CardKeys.Add(NewKey(vault, d.Sku, product.Id, batch, now));
        }
        await db.SaveChangesAsync(ct);
        await LinkGuidesAsync(db, ct);
    }

    /// <summary>
    /// The memberships come with the demo's account-safety guide (pushed to each buyer once after a purchase). A
    /// shop stocked before guides existed gets it at its next start; one where any product has a guide is left alone.
    /// </summary>
    private static async Task LinkGuidesAsync(CardMallDbContext db, CancellationToken ct)
    {
        if (await db.Products.AnyAsync(p => p.GuideArticleId != null, ct)) return;
        var guide = await db.Articles.Where(a => a.Slug == DemoArticles.MembershipGuideSlug).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        if (guide is null) return;
        await db.Products.Where(p => DemoArticles.GuidedSkus.Contains(p.Sku))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.GuideArticleId, guide), ct);
    }

    /// <summary>When a demo key of the product stocked now expires: the product's validity from today.</summary>
    public static DateTimeOffset ExpiryOf(string sku, DateTimeOffset today) =>
        today.AddDays(Products.Single(p => p.Sku == sku).ValidityDays);

    /// <summary>A fresh random key of the product in the batch, sealed as an import seals it (game cards come with a secret).</summary>
    public static CardKey NewKey(ICardKeyVault vault, string sku, Guid productId, KeyBatch batch, DateTimeOffset now)
    {
        var code = DemoCode(sku);
        var secret = Products.Single(p => p.Sku == sku).Category == "game-cards" ? RandomDigits(8) : null;
        var hash = vault.Fingerprint(code);
        var sealedKey = vault.Seal(code, secret, hash);
        return new CardKey(Guid.CreateVersion7(), productId, batch.Id, hash, sealedKey.CodeCipher, sealedKey.SecretCipher, sealedKey.KeyVersion, batch.ExpiresAt, now);
    }

    /// <summary>Gives the demo buyers money to spend, once (a wallet with any ledger line is left alone).</summary>
    public static async Task FundAsync(CardMallDbContext db, Guid userId, decimal amount, Guid operatorId, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.LedgerEntries.AnyAsync(e => e.UserId == userId, ct)) return;
        var wallet = await db.Wallets.FirstOrDefaultAsync(w => w.UserId == userId, ct);
        if (wallet is null)
        {
            wallet = new Wallet(userId, now);
            db.Wallets.Add(wallet);
        }
        db.LedgerEntries.Add(wallet.Post(LedgerKind.Adjustment, amount, "DEMO-START", now, operatorId, "演示账户初始余额 / demo starting balance"));
        await db.SaveChangesAsync(ct);
    }

    private static string DemoCode(string sku)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var groups = Enumerable.Range(0, 4).Select(_ => new string(Enumerable.Range(0, 4).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray()));
        return sku.Split('-')[0] + "-" + string.Join('-', groups);
    }

    private static string RandomDigits(int n) =>
        string.Concat(Enumerable.Range(0, n).Select(_ => RandomNumberGenerator.GetInt32(10).ToString(CultureInfo.InvariantCulture)));
}
