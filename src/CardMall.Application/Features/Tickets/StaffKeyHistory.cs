using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Orders;
using CardMall.Domain.Verification;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Each key of a ticket, and every other key of its order, as staff see it: masked, where it came from (batch,
/// supplier, importer) and everything that happened to it — sold, revealed, activation attempts, checks, voids.
/// </summary>
internal sealed class StaffKeyHistory(ICardMallDb db, ICardKeyVault vault)
{
    /// <summary>The ticket's keys and every other key of the order, each with its masked code and its history.</summary>
    public async Task<List<(CardKey Key, StaffKey View)>> ReadAsync(Order? order, List<Guid> ticketItemIds, CancellationToken ct)
    {
        var itemIds = ticketItemIds.Concat(order?.Items.Select(i => i.Id) ?? []).Distinct().ToList();
        var items = await (from i in db.OrderItems.AsNoTracking()
                           join o in db.Orders on i.OrderId equals o.Id
                           where itemIds.Contains(i.Id)
                           select new { Item = i, OrderNo = o.No }).ToListAsync(ct);
        var keyIds = items.Select(i => i.Item.CardKeyId).ToList();
        var keys = await db.CardKeys.AsNoTracking().Where(k => keyIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, ct);
        var batchIds = keys.Values.Select(k => k.BatchId).Distinct().ToList();
        var batches = await (from b in db.KeyBatches.AsNoTracking()
                             join s in db.Suppliers on b.SupplierId equals s.Id
                             join u in db.Users on b.ImportedByUserId equals u.Id into importers
                             from u in importers.DefaultIfEmpty()
                             where batchIds.Contains(b.Id)
                             select new { b.Id, b.ImportedAt, b.IsFrozen, Supplier = s.Name, ImportedBy = u == null ? null : u.DisplayName })
            .ToDictionaryAsync(b => b.Id, ct);
        var keyEvents = await db.CardKeyEvents.AsNoTracking().Where(e => keyIds.Contains(e.CardKeyId))
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var names = await db.StaffNamesAsync(keyEvents.Select(e => e.ActorUserId), ct);
        // Activation attempts (supplier webhooks, platform redemptions) and key checks belong to the key's story too.
        var activations = await db.ActivationEvents.AsNoTracking().Where(a => keyIds.Contains(a.CardKeyId))
            .OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(ct);
        var verifications = await db.KeyVerifications.AsNoTracking()
            .Where(v => keyIds.Contains(v.CardKeyId) && v.Status == VerificationStatus.Done)
            .ToListAsync(ct);

        var onTicket = ticketItemIds.ToHashSet();
        var result = new List<(CardKey, StaffKey)>();
        // The ticket's own keys first, then the rest of the order in delivery order.
        foreach (var row in items.OrderBy(i => onTicket.Contains(i.Item.Id) ? 0 : 1).ThenBy(i => i.Item.CreatedAt).ThenBy(i => i.Item.Id))
        {
            var key = keys[row.Item.CardKeyId];
            var batch = batches[key.BatchId];
            var timeline = new List<KeyTimelineEntry>
            {
                new(batch.ImportedAt, KeyTimelineKinds.Imported, batch.ImportedBy, ShortId(batch.Id), null, batch.Supplier),
            };
            timeline.AddRange(keyEvents.Where(e => e.CardKeyId == key.Id).Select(e => new KeyTimelineEntry(
                e.At, KeyTimelineKinds.Of(e.Kind), e.ActorUserId is { } a && names.TryGetValue(a, out var n) ? n : null, e.Detail, e.Ip, null)));
            timeline.AddRange(activations.Where(a => a.CardKeyId == key.Id).Select(a =>
                new KeyTimelineEntry(a.At, KeyTimelineKinds.Activation, null, null, a.Ip, null) { Device = a.DeviceId, Result = a.Result, Source = a.Source }));
            timeline.AddRange(verifications.Where(v => v.CardKeyId == key.Id).Select(v =>
                new KeyTimelineEntry(v.CompletedAt ?? v.RequestedAt, KeyTimelineKinds.Verification, null, v.SupplierError, null, null)
                {
                    Answer = v.Answer,
                    RedeemedAt = v.SupplierRedeemedAt,
                    Outcome = v.Outcome,
                }));
            // Opened only to be masked: no reveal event, and the plain code goes no further than this line.
            var masked = CardKeyMask.Mask(vault.Open(key).Code);
            var story = timeline.OrderBy(t => t.At).ThenBy(t => KeyTimelineKinds.Rank(t.Kind)).ToList();
            var view = new StaffKey(row.Item.Id, row.OrderNo, masked, key.State, onTicket.Contains(row.Item.Id), row.Item.ReplacesItemId,
                key.ExpiresAt, batch.Supplier, story)
            {
                CardKeyId = key.Id,
            };
            result.Add((key, view));
        }
        return result;
    }

    private static string ShortId(Guid id) => id.ToString("N")[..8];
}

/// <summary>The steps of a key's history as the ticket page words them.</summary>
public static class KeyTimelineKinds
{
    public const string Imported = "imported";

    /// <summary>Somebody tried to activate the key (a supplier's webhook or a redemption on the platform).</summary>
    public const string Activation = "activation";

    /// <summary>A key check (卡密核验) finished: the supplier's answer and what was done.</summary>
    public const string Verification = "verification";

    /// <summary>
    /// Within one instant, the order things happen in: a key is sold before it is seen, tried and checked, and
    /// a check comes before the freeze or replacement it causes.
    /// </summary>
    public static int Rank(string kind) => kind switch
    {
        Imported => 0,
        "sold" => 1,
        "revealed" or "downloaded" => 2,
        Activation => 3,
        Verification => 4,
        _ => 5,
    };

    public static string Of(CardKeyEventKind kind) => kind switch
    {
        CardKeyEventKind.Sold => "sold",
        CardKeyEventKind.Revealed => "revealed",
        CardKeyEventKind.Downloaded => "downloaded",
        CardKeyEventKind.Frozen => "frozen",
        CardKeyEventKind.Unfrozen => "unfrozen",
        CardKeyEventKind.Redeemed => "redeemed",
        CardKeyEventKind.Voided => "voided",
        CardKeyEventKind.Reencrypted => "reencrypted",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A key as staff see it: masked, with where it came from and everything that happened to it.</summary>
public sealed record StaffKey(
    Guid ItemId, string OrderNo, string MaskedCode, CardKeyState State, bool OnTicket, Guid? ReplacesItemId, DateTimeOffset? ExpiresAt,
    string Supplier, IReadOnlyList<KeyTimelineEntry> Timeline)
{
    /// <summary>The key itself, for actions on it (unfreezing).</summary>
    public Guid CardKeyId { get; init; }
}

public sealed record KeyTimelineEntry(DateTimeOffset At, string Kind, string? Actor, string? Detail, string? Ip, string? Supplier)
{
    // Activation attempts
    public string? Device { get; init; }
    public string? Result { get; init; }
    /// <summary>webhook or platform.</summary>
    public string? Source { get; init; }

    // Key checks (Detail holds the reason there was no answer, if any)
    public SupplierAnswer? Answer { get; init; }
    public DateTimeOffset? RedeemedAt { get; init; }
    public VerificationOutcome? Outcome { get; init; }
}
