using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.KnowledgeBase;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.KnowledgeBase;

/// <summary>An article as the staff editor shows it: both languages' Markdown, published or not.</summary>
public sealed record GetArticleForEditing(string Slug) : IRequest<ArticleDraft>;

internal sealed class GetArticleForEditingHandler(ICardMallDb db, ICurrentUser currentUser)
    : IRequestHandler<GetArticleForEditing, ArticleDraft>
{
    public async Task<ArticleDraft> Handle(GetArticleForEditing request, CancellationToken cancellationToken)
    {
        if (!ShopRoles.Staff.Any(currentUser.IsInRole))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Common.Forbidden"));

        var article = await db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Slug == request.Slug, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Article.NotFound"));
        var editor = await db.Users.AsNoTracking().Where(u => u.Id == article.UpdatedByUserId)
            .Select(u => u.DisplayName != "" ? u.DisplayName : u.Email).FirstOrDefaultAsync(cancellationToken);
        return new ArticleDraft(article.Slug, article.Kind, article.ProductSku, article.TitleZh, article.TitleEn,
            article.BodyZh, article.BodyEn, article.IsPublished, article.UpdatedAt, editor ?? "");
    }
}

public sealed record ArticleDraft(string Slug, ArticleKind Kind, string? ProductSku, string TitleZh, string TitleEn,
    string BodyZh, string BodyEn, bool IsPublished, DateTimeOffset UpdatedAt, string UpdatedBy);
