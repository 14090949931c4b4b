using System.Globalization;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Domain.Common;
using CardMall.Domain.KnowledgeBase;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CardMall.Web.Pages.Admin.Articles;

/// <summary>Every article with its status; any staff member may read it, editors also get the "new" button.</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{

    public IReadOnlyList<StaffArticleRow> Articles { get; private set; } = [];

    public bool CanEdit => Article.EditorRoles.Any(User.IsInRole);

    public async Task OnGetAsync(CancellationToken ct) => Articles = await mediator.Send(new ListArticlesForStaff(), ct);

    public static string Local(DateTimeOffset at) => ShopTime.Minutes(at);
}
