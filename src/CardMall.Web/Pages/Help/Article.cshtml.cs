using System.Globalization;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Domain.Common;
using CardMall.Domain.KnowledgeBase;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Help;

/// <summary>One article at /Help/{slug}; an unknown or unpublished slug is the friendly 404 page.</summary>
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Hosting.CatalogueCaching.Pages)]
public sealed class ArticleModel(IMediator mediator) : PageModel
{

    public ArticlePage Article { get; private set; } = null!;

    /// <summary>The questions and policies a reader of this article may need next.</summary>
    public IReadOnlyList<ArticleSummary> Related { get; private set; } = [];

    public async Task OnGetAsync(string slug, CancellationToken ct)
    {
        Article = await mediator.Send(new GetArticle(slug), ct);
        var all = await mediator.Send(new ListArticles(), ct);
        Related = all.Where(a => a.Kind != ArticleKind.Tutorial && a.Slug != Article.Slug).Take(5).ToList();
    }

    public string UpdatedOn => ShopTime.Day(Article.UpdatedAt);
}
