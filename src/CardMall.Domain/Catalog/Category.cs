namespace CardMall.Domain.Catalog;

/// <summary>A shelf of the shop: game cards, activation codes, memberships …</summary>
public sealed class Category
{
    private Category() { }

    public Category(string slug, string nameZh, string nameEn, int sortOrder)
    {
        Id = Guid.NewGuid();
        Slug = slug;
        NameZh = nameZh;
        NameEn = nameEn;
        SortOrder = sortOrder;
    }

    public Guid Id { get; private set; }
    public string Slug { get; private set; } = "";
    public string NameZh { get; private set; } = "";
    public string NameEn { get; private set; } = "";
    public int SortOrder { get; private set; }

    public string Name(bool english) => english ? NameEn : NameZh;
}
