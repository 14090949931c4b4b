using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>One reply template as its editor sees it (both languages, switched on or off).</summary>
public sealed record GetReplyTemplate(Guid Id) : IRequest<ReplyTemplateRow>;

internal sealed class GetReplyTemplateHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetReplyTemplate, ReplyTemplateRow>
{
    public async Task<ReplyTemplateRow> Handle(GetReplyTemplate request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var row = await (from t in db.ReplyTemplates.AsNoTracking()
                         join u in db.Users on t.UpdatedBy equals u.Id into editors
                         from u in editors.DefaultIfEmpty()
                         where t.Id == request.Id
                         select new { t, Editor = u == null ? null : u.DisplayName == "" ? u.Email : u.DisplayName })
            .FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException(AppText.Get("Workspace.TemplateNotFound"));
        return ReplyTemplateRow.From(row.t, row.Editor);
    }
}
