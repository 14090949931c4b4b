using CardMall.Application.Abstractions;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Application.Localization;
using CardMall.Web.Errors;
using CardMall.Web.Hosting;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Products;

/// <summary>
/// An operator adds a product (/Admin/Products/New) or edits one (/Admin/Products/Edit/{sku}): names and
/// descriptions in both languages, prices, limits, notices, and — when editing — whether it is on sale.
/// One form for both, so the two can never drift apart.
/// </summary>
[Authorize(Policy = ShopWeb.OperatorPolicy)]
public sealed class NewModel(IMediator mediator) : PageModel, IReloadsPageData
{
    [BindProperty]
    public ProductInput Input { get; set; } = new();

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    /// <summary>Published articles an edited product can name as its guide.</summary>
    public IReadOnlyList<StaffArticleRow> Guides { get; private set; } = [];

    /// <summary>The product being edited, or null when a new one is being added.</summary>
    public string? EditingSku => RouteData.Values["sku"] as string;

    /// <summary>The notices version the product has now (editing only).</summary>
    public int NoticesVersion { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (EditingSku is null) return;
        var p = await mediator.Send(new GetProductForEditing(EditingSku), ct);
        Input = new ProductInput
        {
            Sku = p.Sku,
            Category = p.Category,
            Name = p.Name,
            NameEn = p.NameEn,
            Description = p.Description,
            DescriptionEn = p.DescriptionEn,
            FaceValue = p.FaceValue,
            Price = p.Price,
            VipPrice = p.VipPrice,
            ResellerPrice = p.ResellerPrice,
            MinPerOrder = p.MinPerOrder,
            MaxPerOrder = p.MaxPerOrder,
            MaxPerBuyerPerDay = p.MaxPerBuyerPerDay,
            ValidityDays = p.ValidityDays,
            DeviceLimit = p.DeviceLimit,
            Regions = p.Regions,
            IsActive = p.IsActive,
            GuideSlug = p.GuideSlug,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var i = Input;
        if (EditingSku is { } sku)
        {
            var updated = await mediator.Send(new UpdateProduct(sku, i.Name ?? "", i.NameEn ?? "", i.Category ?? "", i.FaceValue ?? 0, i.Price ?? 0,
                i.VipPrice, i.ResellerPrice, i.ValidityDays ?? 0, i.DeviceLimit ?? 0, i.Regions ?? "", i.MaxPerOrder ?? 0,
                i.Description, i.DescriptionEn, i.MinPerOrder ?? 0, i.MaxPerBuyerPerDay, i.IsActive, i.GuideSlug), ct);
            TempData["Updated"] = $"{updated.Sku} · v{updated.NoticesVersion}";
            return RedirectToPage("/Admin/Products/Index");
        }
        // Empty number fields become values the use case refuses (or the documented defaults), so the
        // operator reads its message and not a model-binding one.
        var created = await mediator.Send(new CreateProduct(
            (i.Sku ?? "").Trim().ToUpperInvariant(), i.Name ?? "", i.NameEn ?? "", i.Category ?? "", i.FaceValue ?? 0, i.Price ?? 0,
            i.VipPrice, i.ResellerPrice, i.ValidityDays ?? 0, i.DeviceLimit ?? 0, i.Regions ?? "", i.MaxPerOrder ?? 0,
            i.Description, i.DescriptionEn, i.MinPerOrder ?? 0, i.MaxPerBuyerPerDay), ct);
        TempData["Created"] = created.Sku;
        return RedirectToPage("/Admin/Products/Index");
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        Categories = await mediator.Send(new ListCategories(VisitorLanguage.IsEnglish), cancellationToken);
        if (EditingSku is not null)
            Guides = (await mediator.Send(new ListArticlesForStaff(), cancellationToken)).Where(a => a.IsPublished).OrderBy(a => a.Slug, StringComparer.Ordinal).ToList();
    }


    /// <summary>Named as CreateProduct names them, so its field errors land under the right inputs.</summary>
    public sealed class ProductInput
    {
        public string? Sku { get; set; }
        public string? Category { get; set; }
        public string? Name { get; set; }
        public string? NameEn { get; set; }
        public string? Description { get; set; }
        public string? DescriptionEn { get; set; }
        public decimal? FaceValue { get; set; }
        public decimal? Price { get; set; }
        public decimal? VipPrice { get; set; }
        public decimal? ResellerPrice { get; set; }
        public int? MinPerOrder { get; set; } = 1;
        public int? MaxPerOrder { get; set; } = 10;
        public int? MaxPerBuyerPerDay { get; set; }
        public int? ValidityDays { get; set; } = 365;
        public int? DeviceLimit { get; set; } = 1;
        public string? Regions { get; set; }
        public bool IsActive { get; set; } = true;
        public string? GuideSlug { get; set; }
    }
}
