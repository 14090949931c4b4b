using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The reply templates with both languages, for the supervisors who keep them up to date; switched-off
/// ones are listed after the active ones. (Agents get them filled in on the ticket page instead.)
/// </summary>
public sealed record ListReplyTemplates : IRequest<IReadOnlyList<ReplyTemplateRow>>;

internal sealed class ListReplyTemplatesHandler(ICardMallDb db, ICurrentUser currentUser)
    : IRequestHandler<ListReplyTemplates, IReadOnlyList<ReplyTemplateRow>>
{
    public async Task<IReadOnlyList<ReplyTemplateRow>> Handle(ListReplyTemplates request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var rows = await (from t in db.ReplyTemplates.AsNoTracking()
                          join u in db.Users on t.UpdatedBy equals u.Id into editors
                          from u in editors.DefaultIfEmpty()
                          select new { t, Editor = u == null ? null : u.DisplayName == "" ? u.Email : u.DisplayName })
            .ToListAsync(ct);
        return rows
            .OrderByDescending(r => r.t.IsActive)
            .ThenBy(r => r.t.Category is null ? int.MaxValue : (int)r.t.Category)
            .ThenBy(r => r.t.Title, StringComparer.CurrentCulture)
            .Select(r => ReplyTemplateRow.From(r.t, r.Editor))
            .ToList();
    }
}

public sealed record ReplyTemplateRow(
    Guid Id, string Title, TicketCategory? Category, string BodyZh, string BodyEn, bool IsActive, string? UpdatedBy, DateTimeOffset UpdatedAt)
{
    internal static ReplyTemplateRow From(ReplyTemplate t, string? editor) =>
        new(t.Id, t.Title, t.Category, t.BodyZh, t.BodyEn, t.IsActive, editor, t.UpdatedAt);
}
