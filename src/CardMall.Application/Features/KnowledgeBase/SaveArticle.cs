using System.Data.Common;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.KnowledgeBase;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.KnowledgeBase;

/// <summary>
/// A supervisor, operator or admin writes a new article (<see cref="OriginalSlug"/> null) or revises
/// the article at <see cref="OriginalSlug"/>, possibly giving it a new slug. Both languages are required:
/// a buyer must never land on half an article.
/// </summary>
public sealed record SaveArticle(
    string? OriginalSlug,
    string? Slug,
    string? Kind,
    string? ProductSku,
    string? TitleZh,
    string? TitleEn,
    string? BodyZh,
    string? BodyEn,
    bool IsPublished) : ICommand<SavedArticle>;

public sealed class SaveArticleValidator : AbstractValidator<SaveArticle>
{
    public SaveArticleValidator()
    {
        RuleFor(x => x.Slug).NotEmpty().WithMessage(_ => AppText.Get("Article.SlugRequired"))
            .Must(s => Article.IsValidSlug(s?.Trim())).When(x => !string.IsNullOrWhiteSpace(x.Slug))
            .WithMessage(_ => AppText.Format("Article.SlugInvalid", Article.SlugMaxLength));
        RuleFor(x => x.Kind).Must(k => ArticleKinds.TryParse(k, out _))
            .WithMessage(_ => AppText.Get("Article.KindUnknown"));
        RuleFor(x => x.ProductSku).Must(s => Article.IsValidProductSku(s!.Trim().ToUpperInvariant()))
            .When(x => !string.IsNullOrWhiteSpace(x.ProductSku))
            .WithMessage(_ => AppText.Format("Article.ProductSkuInvalid", Article.ProductSkuMaxLength));
        Title(x => x.TitleZh, "Article.TitleZhRequired");
        Title(x => x.TitleEn, "Article.TitleEnRequired");
        Body(x => x.BodyZh, "Article.BodyZhRequired");
        Body(x => x.BodyEn, "Article.BodyEnRequired");
    }

    private void Title(System.Linq.Expressions.Expression<Func<SaveArticle, string?>> field, string requiredKey) =>
        RuleFor(field).NotEmpty().WithMessage(_ => AppText.Get(requiredKey))
            .MaximumLength(Article.TitleMaxLength).WithMessage(_ => AppText.Format("Article.TitleTooLong", Article.TitleMaxLength));

    private void Body(System.Linq.Expressions.Expression<Func<SaveArticle, string?>> field, string requiredKey) =>
        RuleFor(field).NotEmpty().WithMessage(_ => AppText.Get(requiredKey))
            .MaximumLength(Article.BodyMaxLength).WithMessage(_ => AppText.Format("Article.BodyTooLong", Article.BodyMaxLength));
}

internal sealed class SaveArticleHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<SaveArticle, SavedArticle>
{
    private const string UniqueViolation = "23505";

    public async Task<SavedArticle> Handle(SaveArticle request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        if (!Article.EditorRoles.Any(currentUser.IsInRole))
            throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Article.EditForbidden"));

        // The validator has already checked every field; here they are only tidied.
        var slug = request.Slug!.Trim();
        var kind = ArticleKinds.TryParse(request.Kind, out var parsed) ? parsed : ArticleKind.Tutorial;
        var sku = string.IsNullOrWhiteSpace(request.ProductSku) ? null : request.ProductSku.Trim().ToUpperInvariant();
        var chinese = new ArticleText(request.TitleZh!.Trim(), Tidy(request.BodyZh!));
        var english = new ArticleText(request.TitleEn!.Trim(), Tidy(request.BodyEn!));
        var now = clock.GetUtcNow();

        Article article;
        var created = request.OriginalSlug is null;
        if (created)
        {
            if (await db.Articles.AnyAsync(a => a.Slug == slug, cancellationToken))
                throw SlugTaken();
            article = new Article(slug, kind, sku, chinese, english, request.IsPublished, userId, now);
            db.Articles.Add(article);
        }
        else
        {
            article = await db.Articles.FirstOrDefaultAsync(a => a.Slug == request.OriginalSlug, cancellationToken)
                ?? throw new NotFoundException(AppText.Get("Article.NotFound"));
            if (slug != article.Slug && await db.Articles.AnyAsync(a => a.Slug == slug, cancellationToken))
                throw SlugTaken();
            article.Revise(slug, kind, sku, chinese, english, request.IsPublished, userId, now);
        }

        try
        {
            // Saved here rather than by the transaction behavior, so that two editors racing for one
            // slug get a field error instead of an error page: the unique index decides.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is DbException { SqlState: UniqueViolation })
        {
            throw SlugTaken();
        }
        return new SavedArticle(article.Slug, created);
    }

    // Browsers post text areas with CRLF; stored Markdown uses LF so diffs and lengths stay honest.
    private static string Tidy(string body) => body.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n');

    private static ValidationException SlugTaken() =>
        new([new ValidationFailure(nameof(SaveArticle.Slug), AppText.Get("Article.SlugTaken"))]);
}

public sealed record SavedArticle(string Slug, bool Created);
