using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Audit;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A supervisor writes a reply template (<see cref="Id"/> null) or revises one, in Chinese and English,
/// or switches it off so agents no longer see it. Only the known placeholders are accepted: a typo such
/// as {biyer} would otherwise reach a buyer word for word.
/// </summary>
public sealed record SaveReplyTemplate(Guid? Id, string? Title, TicketCategory? Category, string? BodyZh, string? BodyEn, bool IsActive = true)
    : IAuditedCommand<SavedReplyTemplate>
{
    public AuditNote Audit(SavedReplyTemplate result) => new(AuditActions.TemplateSaved, result.Id.ToString(), $"{(result.Created ? "created" : "edited")}: {Title} ({Category}), active {IsActive}");
    public const int TitleMaxLength = 100;
    public const int BodyMaxLength = 4000;
}

public sealed class SaveReplyTemplateValidator : AbstractValidator<SaveReplyTemplate>
{
    public SaveReplyTemplateValidator()
    {
        RuleFor(x => x.Title).Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => AppText.Get("Workspace.TemplateTitleRequired"))
            .MaximumLength(SaveReplyTemplate.TitleMaxLength).WithMessage(_ => AppText.Format("Workspace.TemplateTitleTooLong", SaveReplyTemplate.TitleMaxLength));
        RuleFor(x => x.Category).IsInEnum().WithMessage(_ => AppText.Get("Tickets.CategoryUnknown"));
        Body(x => x.BodyZh, "Workspace.TemplateBodyZhRequired");
        Body(x => x.BodyEn, "Workspace.TemplateBodyEnRequired");
    }

    private void Body(System.Linq.Expressions.Expression<Func<SaveReplyTemplate, string?>> field, string requiredKey) =>
        RuleFor(field).Must(b => !string.IsNullOrWhiteSpace(b)).WithMessage(_ => AppText.Get(requiredKey))
            .MaximumLength(SaveReplyTemplate.BodyMaxLength).WithMessage(_ => AppText.Format("Workspace.TemplateBodyTooLong", SaveReplyTemplate.BodyMaxLength))
            .Must(b => ReplyPlaceholders.Unknown(b).Count == 0)
            .WithMessage((_, b) => AppText.Format("Workspace.TemplateUnknownPlaceholder", string.Join(" ", ReplyPlaceholders.Unknown(b)),
                string.Join(" ", ReplyPlaceholders.All)));
}

internal sealed class SaveReplyTemplateHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
    : IRequestHandler<SaveReplyTemplate, SavedReplyTemplate>
{
    public async Task<SavedReplyTemplate> Handle(SaveReplyTemplate request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var now = clock.GetUtcNow();
        var title = request.Title!.Trim();
        var zh = Tidy(request.BodyZh!);
        var en = Tidy(request.BodyEn!);

        if (request.Id is not { } id)
        {
            var created = new ReplyTemplate(title, request.Category, zh, en, me, now) { IsActive = request.IsActive };
            db.ReplyTemplates.Add(created);
            return new SavedReplyTemplate(created.Id, Created: true);
        }

        var template = await db.ReplyTemplates.FirstOrDefaultAsync(t => t.Id == id, ct)
            ?? throw new NotFoundException(AppText.Get("Workspace.TemplateNotFound"));
        template.Title = title;
        template.Category = request.Category;
        template.BodyZh = zh;
        template.BodyEn = en;
        template.IsActive = request.IsActive;
        template.UpdatedBy = me;
        template.UpdatedAt = now;
        return new SavedReplyTemplate(template.Id, Created: false);
    }

    // Browsers post text areas with CRLF; the reply box gets the template as written.
    private static string Tidy(string body) => body.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}

public sealed record SavedReplyTemplate(Guid Id, bool Created);
