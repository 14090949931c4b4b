using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Notifications;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// Somebody tried to activate a key: a supplier said so in its signed webhook (<see cref="SupplierId"/> set;
/// the endpoint has checked the signature), or it was redeemed on the platform itself (SupplierId null). The
/// event is stored once however often it is sent; a successful activation of a sold key marks it redeemed;
/// and a key tried from too many devices at once is frozen, with one system ticket for its buyer and an alert
/// for staff (交易中：实时监测与异常干预).
/// </summary>
public sealed record RecordActivation(Guid? SupplierId, string Code, string DeviceId, string? Ip, DateTimeOffset At, string Result)
    : ICommand<ActivationRecorded>
{
    /// <summary>The result that means the key was activated.</summary>
    public const string Success = "success";

    // The code is a card key: a record would print it.
    public override string ToString() => $"RecordActivation({SupplierId?.ToString() ?? "platform"}, ****)";
}

public sealed class RecordActivationValidator : AbstractValidator<RecordActivation>
{
    public RecordActivationValidator()
    {
        RuleFor(x => x.Code).Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage(_ => AppText.Get("Risk.CodeRequired"))
            .MaximumLength(128).WithMessage(_ => AppText.Get("Risk.CodeRequired"));
        RuleFor(x => x.DeviceId).Must(d => !string.IsNullOrWhiteSpace(d)).WithMessage(_ => AppText.Get("Risk.DeviceRequired"))
            .MaximumLength(128).WithMessage(_ => AppText.Format("Risk.TooLong", 128));
        RuleFor(x => x.Ip).MaximumLength(64).WithMessage(_ => AppText.Format("Risk.TooLong", 64));
        RuleFor(x => x.Result).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage(_ => AppText.Get("Risk.ResultRequired"))
            .MaximumLength(32).WithMessage(_ => AppText.Format("Risk.TooLong", 32));
        RuleFor(x => x.At).Must(a => a != default).WithMessage(_ => AppText.Get("Risk.AtRequired"));
    }
}

internal sealed class RecordActivationHandler(
    ICardMallDb db, ICardKeyVault vault, ICurrentUser currentUser, TimeProvider clock, TicketFiling filing, TicketDesk desk, IOptions<RiskOptions> options)
    : IRequestHandler<RecordActivation, ActivationRecorded>
{
    /// <summary>The freeze reason and the alert kind of the multi-device rule.</summary>
    public const string MultiDevice = "multi_device";

    /// <summary>The freeze reason and the alert kind when a supplier reports a key activated that was never sold.</summary>
    public const string ActivatedUnsold = "activated_unsold";

    public async Task<ActivationRecorded> Handle(RecordActivation request, CancellationToken ct)
    {
        var hash = vault.Fingerprint(ICardKeyVault.Normalize(request.Code));
        // The key row is locked before anything else: events for one key take turns, so a burst of them
        // freezes the key once and opens one ticket, whichever arrives last.
        var key = await db.Locks.LockAsync<CardKey, byte[]>(k => k.CodeHash, hash, ct);
        if (key is null) return ActivationRecorded.UnknownKey;
        // A supplier speaks only for its own keys: it cannot freeze, or mark redeemed, somebody else's.
        if (request.SupplierId is { } supplierId && !await db.KeyBatches.AnyAsync(b => b.Id == key.BatchId && b.SupplierId == supplierId, ct))
            return ActivationRecorded.UnknownKey;

        var now = clock.GetUtcNow();
        var at = request.At.ToUniversalTime();
        var source = request.SupplierId is null ? "platform" : "webhook";
        var result = request.Result.Trim().ToLowerInvariant();
        var shaped = new ActivationEvent(key.Id, request.SupplierId, source, request.DeviceId.Trim(), request.Ip?.Trim(), at, result, [], now);
        var fingerprint = Fingerprint(request.SupplierId, key.Id, shaped.DeviceId, at, shaped.Result);
        // A replay is the same fingerprint: the unique index keeps the first, and AddOnceAsync keeps the
        // transaction alive (a unique violation would abort it).
        var stored = await db.Locks.AddOnceAsync(
            new ActivationEvent(key.Id, request.SupplierId, source, shaped.DeviceId, shaped.Ip, at, shaped.Result, fingerprint, now), ct);
        if (!stored) return new ActivationRecorded(key.Id, key.State, Stored: false, Frozen: false);

        var activated = shaped.Result == RecordActivation.Success;
        // When it happened by the supplier's word, but never later than we heard of it.
        var happenedAt = at < now ? at : now;
        if (activated && key.State == CardKeyState.Sold)
            db.CardKeyEvents.Add(key.Redeem(currentUser.UserId, "activation:" + source, happenedAt, shaped.Ip));

        var frozen = false;
        if (activated && key.State == CardKeyState.Available)
        {
            // Used before we sold it: whoever bought it next would get a dead key.
            db.CardKeyEvents.Add(key.Freeze(null, ActivatedUnsold, now));
            db.RiskAlerts.Add(new RiskAlert(ActivatedUnsold, "source=" + source, key.Id, null, null, now));
            frozen = true;
        }
        else if (key.State is not (CardKeyState.Frozen or CardKeyState.Void) && await DistinctDevicesAsync(key.Id, at, ct) is { } devices)
        {
            await FreezeForSafetyAsync(key, devices, now, ct);
            frozen = true;
        }
        return new ActivationRecorded(key.Id, key.State, Stored: true, frozen);
    }

    /// <summary>The alert's facts, in no language: the staff page words them in the reader's (ListRiskAlerts).</summary>
    internal static string MultiDeviceDetail(int devices, int minutes) =>
        string.Create(CultureInfo.InvariantCulture, $"devices={devices};minutes={minutes}");

    /// <summary>SHA-256 over who reported it, which key, which device, when and with what result.</summary>
    private static byte[] Fingerprint(Guid? supplierId, Guid keyId, string deviceId, DateTimeOffset at, string result) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            supplierId?.ToString() ?? "platform", keyId.ToString(), deviceId, at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), result)));

    /// <summary>
    /// How many distinct devices tried the key within one window that holds this event, when that reaches the
    /// threshold (else null). Windows around the event, not only up to it: suppliers may send events late and
    /// out of order. Events from before an agent's unfreeze were judged already and do not count again.
    /// </summary>
    private async Task<int?> DistinctDevicesAsync(Guid keyId, DateTimeOffset at, CancellationToken ct)
    {
        var window = options.Value.DeviceWindow;
        var threshold = Math.Max(2, options.Value.DistinctDevices);
        var unfrozenAt = await db.CardKeyEvents.Where(e => e.CardKeyId == keyId && e.Kind == CardKeyEventKind.Unfrozen)
            .MaxAsync(e => (DateTimeOffset?)e.At, ct);
        var (from, to) = (at - window, at + window);
        var events = db.ActivationEvents.AsNoTracking().Where(e => e.CardKeyId == keyId && e.At >= from && e.At <= to);
        if (unfrozenAt is { } since) events = events.Where(e => e.ReceivedAt > since);
        var seen = await events.OrderBy(e => e.At).Select(e => new { e.At, e.DeviceId }).ToListAsync(ct);

        foreach (var start in seen.Where(e => e.At <= at && e.At + window >= at))
        {
            var devices = seen.Where(e => e.At >= start.At && e.At <= start.At + window).Select(e => e.DeviceId).Distinct(StringComparer.Ordinal).Count();
            if (devices >= threshold) return devices;
        }
        return null;
    }

    /// <summary>
    /// Freezes the key, opens one High-priority system ticket for the buyer's order (or adds to the one still
    /// open), tells the buyer in plain words why, and puts an alert on the staff dashboard.
    /// </summary>
    private async Task FreezeForSafetyAsync(CardKey key, int devices, DateTimeOffset now, CancellationToken ct)
    {
        db.CardKeyEvents.Add(key.Freeze(null, MultiDevice, now));
        var minutes = (int)Math.Round(options.Value.DeviceWindow.TotalMinutes);
        if (key.OrderId is not { } orderId)
        {
            db.RiskAlerts.Add(new RiskAlert(MultiDevice, MultiDeviceDetail(devices, minutes), key.Id, null, null, now));
            return;
        }

        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == orderId, ct);
        var itemId = await db.OrderItems.Where(i => i.OrderId == orderId && i.CardKeyId == key.Id).Select(i => i.Id).FirstAsync(ct);
        var culture = await db.Users.Where(u => u.Id == order.UserId).Select(u => u.PreferredCulture).FirstOrDefaultAsync(ct);
        var language = VisitorLanguage.Of(culture);
        var words = string.Format(language, AppText.Get("Risk.MultiDeviceTicket", language), order.No, devices, minutes);

        var stillOpen = await (from a in db.RiskAlerts
                               join t in db.Tickets on a.TicketId equals t.Id
                               where a.CardKeyId == key.Id && a.Kind == MultiDevice && TicketLifecycle.ActiveStatuses.Contains(t.Status)
                               orderby a.CreatedAt descending
                               select t.Id).FirstOrDefaultAsync(ct);
        Ticket ticket;
        if (stillOpen != Guid.Empty)
        {
            // Frozen again while the first case is still open: the same case, told on its timeline.
            ticket = await desk.LockForSystemAsync(stillOpen, ct);
            ticket.RecordKeyFrozenAgain(words, now);
        }
        else
        {
            // Account abnormal, not a key complaint: the key is not said to be bad, so the supplier is not asked
            // and the batch's incident count is untouched; what is wrong is who holds the key.
            ticket = await filing.FileAsync(new NewTicket(order.UserId, order.Id, TicketCategory.AccountAbnormal, TicketPriority.High, words,
                Device: null, Channel: "system", IsBulk: false, [(order.Id, itemId)], [], MessageAuthor.System), ct);
        }
        db.Send(order.UserId, NotificationKind.KeyFrozenForSafety, TicketDesk.BuyerLink(ticket.No), now, email: true, ticket.No, order.No);
        db.RiskAlerts.Add(new RiskAlert(MultiDevice, MultiDeviceDetail(devices, minutes), key.Id, ticket.Id, null, now));
    }
}

/// <summary>
/// What became of a reported activation. <see cref="Stored"/> is false for a replay and for a code that is not
/// one of ours (or not the reporting supplier's); <see cref="Frozen"/> when this event froze the key.
/// </summary>
public sealed record ActivationRecorded(Guid? CardKeyId, CardKeyState? State, bool Stored, bool Frozen)
{
    public static readonly ActivationRecorded UnknownKey = new(null, null, Stored: false, Frozen: false);
}
