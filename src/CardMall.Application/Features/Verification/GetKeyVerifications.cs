using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Verification;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// A ticket's key checks for the agent's ticket page, newest first: when and why each ran, what our records
/// said (sold to this buyer, state, first reveal), what the supplier answered and how fast, and what was
/// done. Keys are masked; opening them to mask them is not a reveal.
/// </summary>
public sealed record GetKeyVerifications(string TicketNo) : IRequest<IReadOnlyList<KeyVerificationView>>;

internal sealed class GetKeyVerificationsHandler(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault)
    : IRequestHandler<GetKeyVerifications, IReadOnlyList<KeyVerificationView>>
{
    public async Task<IReadOnlyList<KeyVerificationView>> Handle(GetKeyVerifications request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(TicketDesk.WorkRoles);
        var no = (request.TicketNo ?? "").Trim();
        var ticketId = await db.Tickets.Where(t => t.No == no).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException(AppText.Get("Tickets.NotFound"));

        var rows = await (from v in db.KeyVerifications.AsNoTracking()
                          join k in db.CardKeys on v.CardKeyId equals k.Id
                          join b in db.KeyBatches on k.BatchId equals b.Id
                          join s in db.Suppliers on b.SupplierId equals s.Id
                          join u in db.Users on v.RequestedBy equals (Guid?)u.Id into requesters
                          from u in requesters.DefaultIfEmpty()
                          where v.TicketId == ticketId
                          orderby v.RequestedAt descending, v.Id descending
                          select new { Verification = v, Key = k, Supplier = s.Name, RequestedBy = u == null ? null : u.DisplayName == "" ? u.Email : u.DisplayName })
            .ToListAsync(ct);

        return rows.Select(r =>
        {
            var v = r.Verification;
            return new KeyVerificationView(v.Id, v.OrderItemId, v.CardKeyId, CardKeyMask.Mask(vault.Open(r.Key).Code), r.Supplier, v.Trigger,
                r.RequestedBy, v.Status, v.RequestedAt, v.CompletedAt, v.SoldToBuyer, v.KeyState, v.SoldAt, v.FirstRevealedAt, v.ActivationCount,
                v.Answer, v.SupplierRedeemedAt, v.SupplierError, v.SupplierLatencyMs, v.Outcome, v.ReplacementItemId);
        }).ToList();
    }
}

/// <summary>One key check as the agent reads it. <see cref="SupplierError"/> says why there was no answer (timeout, http_500 …).</summary>
public sealed record KeyVerificationView(
    Guid Id, Guid? ItemId, Guid CardKeyId, string MaskedCode, string Supplier, string Trigger, string? RequestedBy,
    VerificationStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt,
    bool SoldToBuyer, string? KeyState, DateTimeOffset? SoldAt, DateTimeOffset? FirstRevealedAt, int ActivationCount,
    SupplierAnswer? Answer, DateTimeOffset? SupplierRedeemedAt, string? SupplierError, int? LatencyMs,
    VerificationOutcome? Outcome, Guid? ReplacementItemId)
{
    public bool IsDone => Status == VerificationStatus.Done;
}
