using System.Globalization;
using CardMall.Application.Features.KnowledgeBase;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Help;

/// <summary>One article at /Help/{slug}; an unknown or unpublished slug is the friendly 404 page.</summary>
public sealed class HelpArticleModel(IMediator mediator) : PageModel
{
    private static readonly TimeZoneInfo ShopTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public ArticlePage Article { get; private set; } = null!;

    public async Task OnGetAsync(string slug, CancellationToken ct) => Article = await mediator.Send(new GetArticle(slug), ct);

    public string UpdatedOn => TimeZoneInfo.ConvertTime(Article.UpdatedAt, ShopTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
