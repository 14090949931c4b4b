using CardMall.Application.Abstractions;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Application.Localization;
using CardMall.Domain.KnowledgeBase;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Help-centre articles shown on the new-ticket form before the buyer submits: the product's usage
/// tutorial, then the questions and policies that fit the chosen problem. Many "invalid" keys are a
/// wrong region or a typing slip, and the article says so faster than an agent can. Published only.
/// </summary>
public sealed record SuggestArticles(string? ProductSku, TicketCategory? Category) : IRequest<IReadOnlyList<ArticleSuggestion>>;

internal sealed class SuggestArticlesHandler(ICardMallDb db) : IRequestHandler<SuggestArticles, IReadOnlyList<ArticleSuggestion>>
{
    private const int ExcerptLength = 120;

    /// <summary>The help centre's answers to each kind of problem, most useful first.</summary>
    private static List<string> SlugsFor(TicketCategory? category) => category switch
    {
        TicketCategory.KeyInvalid or TicketCategory.KeyAlreadyUsed or TicketCategory.ActivationFailed => ["faq-key-invalid"],
        TicketCategory.WrongRegion => ["faq-key-invalid", "refund-policy"],
        TicketCategory.NotReceived => ["faq-key-not-received"],
        TicketCategory.RefundRequest => ["refund-policy"],
        _ => [],
    };

    public async Task<IReadOnlyList<ArticleSuggestion>> Handle(SuggestArticles request, CancellationToken cancellationToken)
    {
        var sku = (request.ProductSku ?? "").Trim().ToUpperInvariant();
        var slugs = SlugsFor(request.Category);
        var english = VisitorLanguage.IsEnglish;

        var articles = new List<Article>();
        if (sku.Length > 0)
        {
            // As FindTutorial chooses: the most recently updated published tutorial of the product.
            var tutorial = await db.Articles.AsNoTracking()
                .Where(a => a.IsPublished && a.Kind == ArticleKind.Tutorial && a.ProductSku == sku)
                .OrderByDescending(a => a.UpdatedAt)
                .FirstOrDefaultAsync(cancellationToken);
            if (tutorial is not null) articles.Add(tutorial);
        }
        if (slugs.Count > 0)
        {
            var fitting = await db.Articles.AsNoTracking().Where(a => a.IsPublished && slugs.Contains(a.Slug)).ToListAsync(cancellationToken);
            articles.AddRange(fitting.OrderBy(a => slugs.IndexOf(a.Slug)));
        }

        return articles
            .Select(a => new ArticleSuggestion(a.Slug, a.Kind, a.Title(english), ArticleMarkdown.Excerpt(a.Body(english), ExcerptLength)))
            .ToList();
    }
}

public sealed record ArticleSuggestion(string Slug, ArticleKind Kind, string Title, string Excerpt);
