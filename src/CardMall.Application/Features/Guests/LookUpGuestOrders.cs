using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Orders;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Guests;

/// <summary>
/// The lookup page (查询订单): an order number or an e-mail, and the lookup password, find a guest's orders. Learned from
/// the anchors' weaknesses (Tai7sy/card-system #321, a dictionary attack on the lookup; acg-faka #767, a lookup
/// bypass): the password is checked against each order's own hash; a wrong password, an unknown number and an
/// unknown e-mail get the same answer after the same work (a hash verified in every case); and five wrong passwords
/// for one e-mail lock its lookups for an hour, the right password included, whoever tries. The page adds a limit
/// per client address.
/// </summary>
public sealed record LookUpGuestOrders(string OrderNoOrEmail, string LookupPassword) : ICommand<GuestLookup>
{
    public override string ToString() => "LookUpGuestOrders(****)";
}

public sealed class LookUpGuestOrdersValidator : AbstractValidator<LookUpGuestOrders>
{
    public LookUpGuestOrdersValidator()
    {
        RuleFor(x => x.OrderNoOrEmail).NotEmpty().MaximumLength(256).WithMessage(_ => AppText.Get("Guests.LookupWhat"));
        RuleFor(x => x.LookupPassword).NotEmpty().MaximumLength(64).WithMessage(_ => AppText.Format("Guests.PasswordLength", 6, 64));
    }
}

public enum GuestLookupOutcome
{
    Found,
    /// <summary>Wrong password, unknown number or e-mail: never which.</summary>
    NotFound,
    /// <summary>Too many wrong passwords for this e-mail: nothing is checked until the lock runs out.</summary>
    Locked,
}

public sealed record GuestLookup(GuestLookupOutcome Outcome, IReadOnlyList<GuestOrderFound> Orders);

public sealed record GuestOrderFound(string OrderNo, Guid GuestId, OrderStatus Status, decimal Total, int Quantity, string ProductName, DateTimeOffset CreatedAt);

internal sealed class LookUpGuestOrdersHandler(ICardMallDb db, IPasswordHasher<ShopUser> hasher, TimeProvider clock)
    : IRequestHandler<LookUpGuestOrders, GuestLookup>
{
    public async Task<GuestLookup> Handle(LookUpGuestOrders request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var typed = request.OrderNoOrEmail.Trim();
        var byEmail = typed.Contains('@', StringComparison.Ordinal);
        var email = Order.NormaliseEmail(typed);
        var candidates = await (byEmail
                ? db.Orders.Where(o => o.GuestEmail == email).OrderByDescending(o => o.CreatedAt).Take(GuestLookups.MostOrders)
                : db.Orders.Where(o => o.No == typed && o.GuestEmail != null))
            .Where(o => o.LookupPasswordHash != null)
            .Select(o => new Candidate(o.No, o.UserId, o.Status, o.Total, o.Quantity, o.ProductId, o.CreatedAt, o.GuestEmail!, o.LookupPasswordHash!))
            .ToListAsync(cancellationToken);

        // Wrong passwords count per e-mail — the order's own when the number was typed, so switching between number and
        // e-mail gains nothing — and count just the same when nothing was found.
        var failures = await GuestLookups.FailuresAsync(db, byEmail ? email : candidates.FirstOrDefault()?.Email ?? typed, cancellationToken);
        var matched = GuestLookups.Verify(hasher, candidates, c => c.Hash, request.LookupPassword);
        if (failures?.IsLocked(now) == true) return new GuestLookup(GuestLookupOutcome.Locked, []);
        if (matched.Count == 0)
        {
            GuestLookups.Failed(db, failures, byEmail ? email : candidates.FirstOrDefault()?.Email ?? typed, now);
            return new GuestLookup(GuestLookupOutcome.NotFound, []);
        }
        if (failures is not null) db.SignInFailures.Remove(failures);

        var productIds = matched.Select(c => c.ProductId).Distinct().ToList();
        var names = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => VisitorLanguage.IsEnglish ? p.NameEn : p.NameZh, cancellationToken);
        return new GuestLookup(GuestLookupOutcome.Found, matched
            .Select(c => new GuestOrderFound(c.No, c.GuestId, c.Status, c.Total, c.Quantity, names[c.ProductId], c.CreatedAt)).ToList());
    }

    private sealed record Candidate(
        string No, Guid GuestId, OrderStatus Status, decimal Total, int Quantity, Guid ProductId, DateTimeOffset CreatedAt, string Email, string Hash);
}

/// <summary>What the lookup and the claim share: the failure count per e-mail and the even-handed password check.</summary>
internal static class GuestLookups
{
    /// <summary>The most orders one e-mail lookup shows (the newest).</summary>
    public const int MostOrders = 20;

    public static readonly TimeSpan LockFor = TimeSpan.FromHours(1);

    private const string Source = "guest-lookup";

    // Verified against when nothing was found, so that answer costs what a wrong password costs.
    private static readonly string NothingHash = new PasswordHasher<ShopUser>().HashPassword(new ShopUser(), Guid.NewGuid().ToString());

    private static string Account(string email) => "GUEST:" + email;

    public static Task<SignInFailures?> FailuresAsync(ICardMallDb db, string email, CancellationToken ct)
    {
        var account = SignInFailures.Normalise(Account(email));
        return db.SignInFailures.FirstOrDefaultAsync(f => f.Account == account && f.Source == Source, ct);
    }

    public static void Failed(ICardMallDb db, SignInFailures? failures, string email, DateTimeOffset now)
    {
        if (failures is null) db.SignInFailures.Add(failures = new SignInFailures(Account(email), Source));
        failures.Failed(now, LockFor);
    }

    /// <summary>The candidates whose lookup password this is; with none, a stand-in hash is verified all the same.</summary>
    public static List<T> Verify<T>(IPasswordHasher<ShopUser> hasher, IReadOnlyList<T> candidates, Func<T, string> hashOf, string password)
    {
        if (candidates.Count == 0)
        {
            hasher.VerifyHashedPassword(new ShopUser(), NothingHash, password);
            return [];
        }
        return candidates.Where(c => hasher.VerifyHashedPassword(new ShopUser(), hashOf(c), password) != PasswordVerificationResult.Failed).ToList();
    }
}
