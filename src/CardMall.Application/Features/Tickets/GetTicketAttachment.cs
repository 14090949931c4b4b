using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// An evidence image, for the buyer who owns the ticket or for staff who work tickets. For anybody else
/// it does not exist (404) — and for the buyer, neither does an image attached to an internal note.
/// </summary>
public sealed record GetTicketAttachment(string TicketNo, Guid AttachmentId) : IRequest<TicketAttachmentFile>;

internal sealed class GetTicketAttachmentHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetTicketAttachment, TicketAttachmentFile>
{
    public async Task<TicketAttachmentFile> Handle(GetTicketAttachment request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var isStaff = TicketDesk.WorkRoles.Any(currentUser.IsInRole);
        var no = (request.TicketNo ?? "").Trim();

        var found = await (from a in db.TicketAttachments.AsNoTracking()
                           join t in db.Tickets on a.TicketId equals t.Id
                           join m in db.TicketMessages on a.MessageId equals m.Id into owners
                           from m in owners.DefaultIfEmpty()
                           where a.Id == request.AttachmentId && t.No == no
                           select new
                           {
                               t.BuyerId,
                               Internal = m != null && m.IsInternal,
                               a.FileName,
                               a.ContentType,
                           })
            .FirstOrDefaultAsync(cancellationToken);

        var allowed = found is not null && (isStaff || (found.BuyerId == userId && !found.Internal));
        if (!allowed) throw new NotFoundException(AppText.Get("BuyerTickets.AttachmentNotFound"));
        // The bytes are read only once the caller may have them.
        var content = await db.TicketAttachments.AsNoTracking().Where(a => a.Id == request.AttachmentId).Select(a => a.Content).FirstAsync(cancellationToken);
        return new TicketAttachmentFile(found!.FileName, found.ContentType, content);
    }
}

public sealed record TicketAttachmentFile(string FileName, string ContentType, byte[] Content)
{
    public override string ToString() => $"TicketAttachmentFile({ContentType}, {Content.Length} bytes)";
}
