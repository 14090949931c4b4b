using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Features.Orders;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Guests;

/// <summary>
/// A visitor without an account buys through a gateway (docs/decisions/0039): the order gets a guest account of
/// its own, and the same <see cref="Checkout"/> as a member's reserves the keys and opens the payment. The order
/// keeps the contact e-mail and the lookup password's hash (Identity's password hasher), to be found again on the
/// lookup page. Reserved keys are stock nobody else can buy, so an e-mail and an address may each leave only a few
/// orders unpaid at once (besides the per-address rate limit on the page).
/// </summary>
public sealed record PlaceGuestOrder(
    string Sku, int Quantity, bool AcceptNotices, string? IdempotencyKey, int? NoticesVersion, string Payment, PayerDevice Device,
    string Email, string LookupPassword, string Culture) : ICommand<GuestOrderPlaced>
{
    // A record prints its members; the lookup password must never reach a log that way.
    public override string ToString() => $"PlaceGuestOrder({Sku}, {Quantity}, {Payment})";
}

public sealed class PlaceGuestOrderValidator : AbstractValidator<PlaceGuestOrder>
{
    public PlaceGuestOrderValidator()
    {
        RuleFor(x => x.Sku).NotEmpty().MaximumLength(64).WithMessage(_ => AppText.Get("Orders.SkuUnknown"));
        RuleFor(x => x.Quantity).InclusiveBetween(1, 1000).WithMessage(_ => AppText.Format("Orders.QuantityRange", 1, 1000));
        RuleFor(x => x.AcceptNotices).Equal(true).WithMessage(_ => AppText.Get("Orders.NoticesRequired"));
        RuleFor(x => x.IdempotencyKey).Length(1, 64).When(x => x.IdempotencyKey is not null).WithMessage(_ => AppText.Get("Orders.IdempotencyKeyInvalid"));
        // A guest has no wallet to pay from: a gateway it is.
        RuleFor(x => x.Payment).NotEmpty().MaximumLength(32).NotEqual(Order.WalletPayment, StringComparer.OrdinalIgnoreCase)
            .WithMessage(_ => AppText.Get("Orders.PaymentUnavailable"));
        RuleFor(x => x.Email).NotEmpty().MaximumLength(256).EmailAddress().WithMessage(_ => AppText.Get("Guests.EmailInvalid"));
        RuleFor(x => x.LookupPassword).NotEmpty().Length(6, 64).WithMessage(_ => AppText.Format("Guests.PasswordLength", 6, 64));
    }
}

/// <summary>The order placed, and the guest account the browser is to be signed in as.</summary>
public sealed record GuestOrderPlaced(Guid GuestId, OrderView Order);

internal sealed class PlaceGuestOrderHandler(
    ICardMallDb db, Checkout checkout, ICurrentUser currentUser, IPasswordHasher<ShopUser> hasher, IOptions<OrderPaymentOptions> options,
    TimeProvider clock) : IRequestHandler<PlaceGuestOrder, GuestOrderPlaced>
{
    public async Task<GuestOrderPlaced> Handle(PlaceGuestOrder request, CancellationToken cancellationToken)
    {
        var email = Order.NormaliseEmail(request.Email);
        var place = new PlaceOrder(request.Sku, request.Quantity, request.AcceptNotices, request.IdempotencyKey, "web", RevealKeys: false,
            request.NoticesVersion, request.Payment, request.Device);

        // A double submission (same form, same e-mail and password) returns the order the first one created.
        if (request.IdempotencyKey is { } key)
        {
            var earlier = await db.Orders.Where(o => o.GuestEmail == email && o.IdempotencyKey == key)
                .Select(o => new { o.UserId, o.LookupPasswordHash }).FirstOrDefaultAsync(cancellationToken);
            if (earlier is { LookupPasswordHash: { } hash }
                && hasher.VerifyHashedPassword(new ShopUser(), hash, request.LookupPassword) != PasswordVerificationResult.Failed)
                return new GuestOrderPlaced(earlier.UserId, await checkout.BuyAsync(earlier.UserId, place, cancellationToken));
        }

        var most = options.Value.MaxAwaitingPerBuyer;
        var address = currentUser.IpAddress;
        var awaiting = await db.Orders.CountAsync(o => o.GuestEmail == email && o.Status == OrderStatus.AwaitingPayment, cancellationToken);
        if (awaiting < most && address is not null)
            awaiting = await db.Orders.CountAsync(o => o.GuestAddress == address && o.Status == OrderStatus.AwaitingPayment, cancellationToken);
        if (awaiting >= most)
            throw new DomainRuleException(ErrorCodes.RateLimited, AppText.Format("Orders.TooManyAwaiting", most));

        var now = clock.GetUtcNow();
        var guest = GuestAccount(request, now);
        db.Users.Add(guest);
        // The checkout reads the buyer's row and creates its wallet: the account must be written first (same transaction).
        await db.SaveChangesAsync(cancellationToken);

        var view = await checkout.BuyAsync(guest.Id, place, cancellationToken);
        var order = db.Orders.Local.Single(o => o.No == view.OrderNo);
        order.KeepForGuest(email, hasher.HashPassword(guest, request.LookupPassword), address);
        return new GuestOrderPlaced(guest.Id, view);
    }

    /// <summary>
    /// No password and no normalised e-mail: neither the sign-in form nor registration's "e-mail taken" check ever
    /// finds it. The e-mail counts as confirmed for this account only, so the order's mails reach the address the
    /// guest typed for them.
    /// </summary>
    private static ShopUser GuestAccount(PlaceGuestOrder request, DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        var name = "guest-" + id.ToString("N");
        var local = request.Email.Trim().Split('@')[0];
        return new ShopUser
        {
            Id = id,
            UserName = name,
            NormalizedUserName = name.ToUpperInvariant(),
            Email = request.Email.Trim(),
            NormalizedEmail = null,
            EmailConfirmed = true,
            DisplayName = local.Length > 50 ? local[..50] : local,
            CreatedAt = now,
            PreferredCulture = request.Culture == "en-US" ? "en-US" : "zh-CN",
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            IsGuest = true,
        };
    }
}
