using CardMall.Application.Features.KnowledgeBase;
using CardMall.Domain.KnowledgeBase;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Help;

[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Hosting.CatalogueCaching.Pages)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    /// <summary>The kind chosen with ?kind=faq; null shows every kind.</summary>
    public ArticleKind? Kind { get; private set; }

    public IReadOnlyList<ArticleSummary> Articles { get; private set; } = [];

    public async Task OnGetAsync(string? kind, CancellationToken ct)
    {
        Kind = ArticleKinds.TryParse(kind, out var chosen) ? chosen : null;
        Articles = await mediator.Send(new ListArticles(Kind), ct);
    }
}
