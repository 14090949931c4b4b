using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.KnowledgeBase;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.KnowledgeBase;

/// <summary>The help centre's list: published articles, of one kind or all, in the visitor's language.</summary>
public sealed record ListArticles(ArticleKind? Kind = null) : IRequest<IReadOnlyList<ArticleSummary>>;

internal sealed class ListArticlesHandler(ICardMallDb db) : IRequestHandler<ListArticles, IReadOnlyList<ArticleSummary>>
{
    // The list shows about three lines; the page clamps what does not fit.
    private const int ExcerptLength = 160;

    public async Task<IReadOnlyList<ArticleSummary>> Handle(ListArticles request, CancellationToken cancellationToken)
    {
        var query = db.Articles.AsNoTracking().Where(a => a.IsPublished);
        if (request.Kind is { } kind)
            query = query.Where(a => a.Kind == kind);
        var english = VisitorLanguage.IsEnglish;
        var rows = await query.ToListAsync(cancellationToken);
        return rows
            .OrderBy(a => a.Kind)
            .ThenBy(a => a.Title(english), StringComparer.CurrentCulture)
            .Select(a => new ArticleSummary(a.Slug, a.Kind, a.Title(english),
                ArticleMarkdown.Excerpt(a.Body(english), ExcerptLength), a.ProductSku, a.UpdatedAt))
            .ToList();
    }
}

public sealed record ArticleSummary(string Slug, ArticleKind Kind, string Title, string Excerpt, string? ProductSku, DateTimeOffset UpdatedAt);
