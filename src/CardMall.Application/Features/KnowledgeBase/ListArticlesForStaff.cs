using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.KnowledgeBase;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.KnowledgeBase;

/// <summary>The editor's list: every article, drafts included, most recently changed first.</summary>
public sealed record ListArticlesForStaff : IRequest<IReadOnlyList<StaffArticleRow>>;

internal sealed class ListArticlesForStaffHandler(ICardMallDb db, ICurrentUser currentUser)
    : IRequestHandler<ListArticlesForStaff, IReadOnlyList<StaffArticleRow>>
{
    public async Task<IReadOnlyList<StaffArticleRow>> Handle(ListArticlesForStaff request, CancellationToken cancellationToken)
    {
        if (!ShopRoles.Staff.Any(currentUser.IsInRole))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Common.Forbidden"));

        return await (from a in db.Articles.AsNoTracking()
                      join u in db.Users on a.UpdatedByUserId equals u.Id into editors
                      from u in editors.DefaultIfEmpty()
                      orderby a.UpdatedAt descending, a.Slug
                      select new StaffArticleRow(a.Slug, a.Kind, a.TitleZh, a.TitleEn, a.ProductSku, a.IsPublished, a.UpdatedAt,
                          u == null ? "" : u.DisplayName != "" ? u.DisplayName : u.Email ?? ""))
            .ToListAsync(cancellationToken);
    }
}

public sealed record StaffArticleRow(string Slug, ArticleKind Kind, string TitleZh, string TitleEn, string? ProductSku,
    bool IsPublished, DateTimeOffset UpdatedAt, string UpdatedBy);
