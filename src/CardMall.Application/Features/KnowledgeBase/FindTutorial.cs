using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.KnowledgeBase;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.KnowledgeBase;

/// <summary>
/// The published usage tutorial of a product, for the product page's pre-purchase notices; null when
/// the product has none yet. If several are published, the most recently updated one wins.
/// </summary>
public sealed record FindTutorial(string ProductSku) : IRequest<TutorialLink?>;

internal sealed class FindTutorialHandler(ICardMallDb db) : IRequestHandler<FindTutorial, TutorialLink?>
{
    public async Task<TutorialLink?> Handle(FindTutorial request, CancellationToken cancellationToken)
    {
        var sku = (request.ProductSku ?? "").Trim().ToUpperInvariant();
        if (sku.Length == 0) return null;
        var article = await db.Articles.AsNoTracking()
            .Where(a => a.IsPublished && a.Kind == ArticleKind.Tutorial && a.ProductSku == sku)
            .OrderByDescending(a => a.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return article is null ? null : new TutorialLink(article.Slug, article.Title(VisitorLanguage.IsEnglish));
    }
}

/// <summary>Where a product's tutorial lives: link to /Help/{Slug}.</summary>
public sealed record TutorialLink(string Slug, string Title);
