using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Features.Wallet;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Guests;

/// <summary>
/// A member takes a guest checkout's orders into the account (认领订单). Never by e-mail alone: the member's e-mail must
/// be confirmed and equal to the guest order's, and the member proves the order theirs with its lookup password or a
/// signed link from the guest's e-mails. In one transaction the guest's orders, tickets, chats, notifications,
/// money owed back and wallet balance pass to the member, and the guest account is disabled (its sign-ins end).
/// Every refusal is the same empty answer, so the claim form is no oracle for which e-mails bought here.
/// </summary>
public sealed record ClaimGuestOrders(string? OrderNo, string? LookupPassword, string? Token) : ICommand<GuestOrdersClaimed>
{
    public override string ToString() => $"ClaimGuestOrders({OrderNo})";
}

public sealed class ClaimGuestOrdersValidator : AbstractValidator<ClaimGuestOrders>
{
    public ClaimGuestOrdersValidator()
    {
        RuleFor(x => x).Must(x => x.Token is { Length: > 0 } || (x.OrderNo is { Length: > 0 } && x.LookupPassword is { Length: > 0 }))
            .OverridePropertyName("OrderNo").WithMessage(_ => AppText.Get("Guests.ClaimProof"));
        RuleFor(x => x.OrderNo).MaximumLength(24);
        RuleFor(x => x.LookupPassword).MaximumLength(64);
        RuleFor(x => x.Token).MaximumLength(2000);
    }
}

/// <summary>The orders taken into the account; none when the proof did not hold (one answer for every reason).</summary>
public sealed record GuestOrdersClaimed(IReadOnlyList<string> OrderNos);

internal sealed class ClaimGuestOrdersHandler(
    ICardMallDb db, ICurrentUser currentUser, IGuestLinks links, IPasswordHasher<ShopUser> hasher, TimeProvider clock)
    : IRequestHandler<ClaimGuestOrders, GuestOrdersClaimed>
{
    public async Task<GuestOrdersClaimed> Handle(ClaimGuestOrders request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var memberId = currentUser.RequireUserId();
        var member = await db.Users.FirstAsync(u => u.Id == memberId, cancellationToken);
        if (member.IsGuest || !member.EmailConfirmed || member.Email is null)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Guests.ClaimNeedsConfirmedEmail"));
        var email = Order.NormaliseEmail(member.Email);

        var guestId = request.Token is { Length: > 0 } token ? links.Read(token)?.GuestId : await ProvenByPasswordAsync(request, now, cancellationToken);
        var orders = guestId is { } guest
            ? await db.Orders.Where(o => o.UserId == guest && o.GuestEmail == email).ToListAsync(cancellationToken)
            : [];
        var account = guestId is { } g ? await db.Users.FirstOrDefaultAsync(u => u.Id == g && u.IsGuest && u.DisabledAt == null, cancellationToken) : null;
        // Refused without an exception, so that the wrong password just counted is saved with the transaction.
        if (orders.Count == 0 || account is null) return new GuestOrdersClaimed([]);

        foreach (var order in orders) order.PassToMember(memberId);
        await MoveWhatTheGuestHadAsync(account.Id, memberId, now, cancellationToken);
        // The guest's cookies stop at their next request (the stamp changed); its links lead nowhere any more.
        account.DisabledAt = now;
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        return new GuestOrdersClaimed(orders.Select(o => o.No).ToList());
    }

    private async Task<Guid?> ProvenByPasswordAsync(ClaimGuestOrders request, DateTimeOffset now, CancellationToken ct)
    {
        var no = request.OrderNo!.Trim();
        var candidates = await db.Orders.Where(o => o.No == no && o.GuestEmail != null && o.LookupPasswordHash != null)
            .Select(o => new { o.UserId, o.GuestEmail, o.LookupPasswordHash }).ToListAsync(ct);
        // Wrong passwords count against the same per-e-mail lock as the lookup page's.
        var failures = await GuestLookups.FailuresAsync(db, candidates.FirstOrDefault()?.GuestEmail ?? no, ct);
        var matched = GuestLookups.Verify(hasher, candidates, c => c.LookupPasswordHash!, request.LookupPassword!);
        if (failures?.IsLocked(now) == true) return null;
        if (matched.Count == 0)
        {
            GuestLookups.Failed(db, failures, candidates.FirstOrDefault()?.GuestEmail ?? no, now);
            return null;
        }
        return matched[0].UserId;
    }

    /// <summary>Everything that hangs on the guest account passes to the member, in this transaction.</summary>
    private async Task MoveWhatTheGuestHadAsync(Guid guestId, Guid memberId, DateTimeOffset now, CancellationToken ct)
    {
        await db.Tickets.Where(t => t.BuyerId == guestId).ExecuteUpdateAsync(s => s.SetProperty(t => t.BuyerId, memberId), ct);
        await db.Chats.Where(c => c.BuyerId == guestId).ExecuteUpdateAsync(s => s.SetProperty(c => c.BuyerId, memberId), ct);
        await db.Notifications.Where(n => n.UserId == guestId).ExecuteUpdateAsync(s => s.SetProperty(n => n.UserId, memberId), ct);
        await db.PaymentRefunds.Where(r => r.UserId == guestId).ExecuteUpdateAsync(s => s.SetProperty(r => r.UserId, memberId), ct);

        // Money the guest's wallet holds (a late payment paid back to it) moves through both ledgers. Every other path
        // holds one wallet at a time, so locking the guest's and then the member's cannot wait in a circle.
        if (await db.LockAsync(guestId, ct) is { Balance: > 0 } guestWallet)
        {
            var memberWallet = await db.LockOrCreateAsync(memberId, now, ct);
            var reference = "claim:" + guestId.ToString("N");
            var balance = guestWallet.Balance;
            db.LedgerEntries.Add(guestWallet.Post(LedgerKind.Adjustment, -balance, reference, now, memberId));
            db.LedgerEntries.Add(memberWallet.Post(LedgerKind.Adjustment, balance, reference, now, memberId));
        }
    }
}
