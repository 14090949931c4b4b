using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.KnowledgeBase;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.KnowledgeBase;

/// <summary>
/// One article for reading at /Help/{slug}, rendered to safe HTML in the visitor's language. Visitors
/// see published articles only; staff also see drafts, so they can check a draft where buyers will read it.
/// </summary>
public sealed record GetArticle(string Slug) : IRequest<ArticlePage>;

internal sealed class GetArticleHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetArticle, ArticlePage>
{
    public async Task<ArticlePage> Handle(GetArticle request, CancellationToken cancellationToken)
    {
        var slug = (request.Slug ?? "").Trim().ToLowerInvariant();
        var article = await db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Slug == slug, cancellationToken);
        // A draft is "not found" for buyers: its address reveals nothing before it is published.
        if (article is null || (!article.IsPublished && !ShopRoles.Staff.Any(currentUser.IsInRole)))
            throw new NotFoundException(AppText.Get("Article.NotFound"));

        var english = VisitorLanguage.IsEnglish;
        return new ArticlePage(article.Slug, article.Kind, article.Title(english),
            ArticleMarkdown.ToSafeHtml(article.Body(english)), article.ProductSku, article.IsPublished, article.UpdatedAt);
    }
}

/// <summary>An article ready to show; <see cref="BodyHtml"/> is already safe to write into a page unencoded.</summary>
public sealed record ArticlePage(string Slug, ArticleKind Kind, string Title, string BodyHtml, string? ProductSku, bool IsPublished, DateTimeOffset UpdatedAt);
