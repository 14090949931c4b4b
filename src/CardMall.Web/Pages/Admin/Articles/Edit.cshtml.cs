using System.Globalization;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Domain.Common;
using CardMall.Domain.KnowledgeBase;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Articles;

/// <summary>
/// Writes a new article (/Admin/Articles/Edit) or revises one (/Admin/Articles/Edit/{slug}). "Preview"
/// posts the form and shows both bodies rendered as readers will see them; "Save" stores the article.
/// </summary>
public sealed class EditModel(IMediator mediator) : PageModel
{

    [BindProperty]
    public ArticleInput Input { get; set; } = new();

    /// <summary>The slug in the address: null while the article is being created.</summary>
    public string? Slug { get; private set; }

    public ArticlePreview? Preview { get; private set; }

    /// <summary>Who changed the article last and when (shop time), shown when editing.</summary>
    public (string By, string At)? LastUpdate { get; private set; }

    [TempData]
    public bool Saved { get; set; }

    public bool CanEdit => Article.EditorRoles.Any(User.IsInRole);

    public async Task OnGetAsync(string? slug, CancellationToken ct)
    {
        Slug = slug;
        if (slug is null) return;
        var draft = await mediator.Send(new GetArticleForEditing(slug), ct);
        Input = ArticleInput.From(draft);
        LastUpdate = (draft.UpdatedBy, ShopTime.Minutes(draft.UpdatedAt));
    }

    public async Task OnPostPreviewAsync(string? slug, CancellationToken ct)
    {
        Slug = slug;
        Preview = await mediator.Send(new PreviewArticle(Input.BodyZh, Input.BodyEn), ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(string? slug, CancellationToken ct)
    {
        Slug = slug;
        var saved = await mediator.Send(new SaveArticle(slug, Input.Slug, Input.Kind, Input.ProductSku,
            Input.TitleZh, Input.TitleEn, Input.BodyZh, Input.BodyEn, Input.IsPublished), ct);
        Saved = true;
        return RedirectToPage(new { slug = saved.Slug });
    }

    public sealed class ArticleInput
    {
        public string? Slug { get; set; }
        public string? Kind { get; set; } = nameof(ArticleKind.Tutorial);
        public string? ProductSku { get; set; }
        public string? TitleZh { get; set; }
        public string? TitleEn { get; set; }
        public string? BodyZh { get; set; }
        public string? BodyEn { get; set; }
        public bool IsPublished { get; set; }

        public static ArticleInput From(ArticleDraft d) => new()
        {
            Slug = d.Slug,
            Kind = d.Kind.ToString(),
            ProductSku = d.ProductSku,
            TitleZh = d.TitleZh,
            TitleEn = d.TitleEn,
            BodyZh = d.BodyZh,
            BodyEn = d.BodyEn,
            IsPublished = d.IsPublished,
        };
    }
}
