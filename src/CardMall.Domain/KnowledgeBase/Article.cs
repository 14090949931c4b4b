using System.Text.RegularExpressions;
using CardMall.Domain.Accounts;

namespace CardMall.Domain.KnowledgeBase;

/// <summary>What an article is for: how to use a product, a common question, or a shop policy.</summary>
public enum ArticleKind
{
    Tutorial = 0,
    Faq = 1,
    Policy = 2,
}

public static class ArticleKinds
{
    public static readonly IReadOnlyList<ArticleKind> All = [ArticleKind.Tutorial, ArticleKind.Faq, ArticleKind.Policy];

    /// <summary>Reads a kind by name, any letter case ("faq", "Tutorial"); numbers are not names.</summary>
    public static bool TryParse(string? value, out ArticleKind kind)
    {
        kind = ArticleKind.Tutorial;
        if (string.IsNullOrWhiteSpace(value)) return false;
        foreach (var candidate in All)
        {
            if (!string.Equals(candidate.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
            kind = candidate;
            return true;
        }
        return false;
    }
}

/// <summary>
/// A knowledge-base article (知识库文章), written in Markdown in both shop languages. A tutorial names
/// the product it explains by SKU only: products are another area's table, and a tutorial may be
/// written before its product is listed.
/// </summary>
public sealed partial class Article
{
    public const int SlugMaxLength = 80;
    public const int TitleMaxLength = 120;
    public const int BodyMaxLength = 20_000;
    public const int ProductSkuMaxLength = 64;

    /// <summary>Staff roles that may write articles; agents may read the editor but not save.</summary>
    public static readonly IReadOnlyList<string> EditorRoles = [ShopRoles.Supervisor, ShopRoles.Operator, ShopRoles.Admin];

    private Article() { }

    public Article(string slug, ArticleKind kind, string? productSku, ArticleText chinese, ArticleText english,
        bool isPublished, Guid byUserId, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        CreatedAt = now;
        Revise(slug, kind, productSku, chinese, english, isPublished, byUserId, now);
    }

    public Guid Id { get; private set; }
    public string Slug { get; private set; } = "";
    public ArticleKind Kind { get; private set; }
    public string TitleZh { get; private set; } = "";
    public string TitleEn { get; private set; } = "";
    public string BodyZh { get; private set; } = "";
    public string BodyEn { get; private set; } = "";
    public string? ProductSku { get; private set; }
    public bool IsPublished { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public Guid UpdatedByUserId { get; private set; }

    public string Title(bool english) => english ? TitleEn : TitleZh;

    public string Body(bool english) => english ? BodyEn : BodyZh;

    /// <summary>Replaces everything an editor can change, and records who did it and when.</summary>
    public void Revise(string slug, ArticleKind kind, string? productSku, ArticleText chinese, ArticleText english,
        bool isPublished, Guid byUserId, DateTimeOffset now)
    {
        Slug = slug;
        Kind = kind;
        ProductSku = productSku;
        TitleZh = chinese.Title;
        BodyZh = chinese.Body;
        TitleEn = english.Title;
        BodyEn = english.Body;
        IsPublished = isPublished;
        UpdatedAt = now;
        UpdatedByUserId = byUserId;
    }

    /// <summary>Lowercase letters, digits and single hyphens between them: the slug is the article's address.</summary>
    public static bool IsValidSlug(string? slug) =>
        slug is { Length: > 0 and <= SlugMaxLength } && SlugPattern().IsMatch(slug);

    /// <summary>Product SKUs as the catalogue spells them: upper-case letters and digits, joined by hyphens or underscores.</summary>
    public static bool IsValidProductSku(string? sku) =>
        sku is { Length: > 0 and <= ProductSkuMaxLength } && SkuPattern().IsMatch(sku);

    /// <summary>The slug a product's tutorial gets by convention: tutorial-wow-60 for WOW-60.</summary>
    public static string TutorialSlugFor(string productSku) => "tutorial-" + productSku.ToLowerInvariant();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Z0-9]+([-_][A-Z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SkuPattern();
}

/// <summary>An article's title and Markdown body in one language.</summary>
public sealed record ArticleText(string Title, string Body);
