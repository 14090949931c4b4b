using MediatR;

namespace CardMall.Application.Features.KnowledgeBase;

/// <summary>
/// The editor's preview: both bodies rendered exactly as readers will see them (same safe rendering),
/// without saving anything.
/// </summary>
public sealed record PreviewArticle(string? BodyZh, string? BodyEn) : IRequest<ArticlePreview>;

internal sealed class PreviewArticleHandler : IRequestHandler<PreviewArticle, ArticlePreview>
{
    public Task<ArticlePreview> Handle(PreviewArticle request, CancellationToken cancellationToken) =>
        Task.FromResult(new ArticlePreview(ArticleMarkdown.ToSafeHtml(request.BodyZh), ArticleMarkdown.ToSafeHtml(request.BodyEn)));
}

/// <summary>Rendered bodies, safe to write into the page unencoded.</summary>
public sealed record ArticlePreview(string BodyZhHtml, string BodyEnHtml);
