using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Notifications;
using CardMall.Domain.Orders;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// Incident detection (批次异常): every key complaint is weighed against its keys' batches inside the
/// filing transaction. A batch with an incident still being worked takes the ticket in; otherwise, when
/// <see cref="RiskOptions.ComplaintsPerBatch"/> different buyers have complained about as many different keys
/// of the batch within <see cref="RiskOptions.ComplaintWindow"/>, or its complaint rate over its sold keys
/// passes <see cref="RiskOptions.ComplaintRate"/> (with complaints from <see cref="RiskOptions.MinBuyersForRate"/> buyers), an
/// incident opens: the batch stops selling (its unsold keys are frozen), the complaints are linked,
/// operators are told and the staff dashboard gets an alert.
/// <para>
/// Buyers and keys are counted, not tickets: freezing a batch takes every other buyer's stock off the shelf,
/// so one buyer — however many tickets or keys they complain about — never freezes a batch on their own.
/// </para>
/// </summary>
internal sealed class JoinIncidentOnTicketFiled(ICardMallDb db, ICardKeyBulkWriter keys, TimeProvider clock, IOptions<RiskOptions> options)
    : INotificationHandler<TicketFiled>
{
    /// <summary>Roles told about a new incident: the people who run stock and suppliers.</summary>
    public static readonly string[] Operators = [ShopRoles.Operator, ShopRoles.Admin];

    /// <summary>Keeps these advisory locks apart from any other the shop takes on a hashed key.</summary>
    private const long LockSeed = 0x494E43; // "INC"

    /// <summary>The categories <see cref="KeyComplaints.IsKeyComplaint"/> names, for queries.</summary>
    internal static readonly TicketCategory[] KeyComplaintCategories =
        Enum.GetValues<TicketCategory>().Where(c => c.IsKeyComplaint()).ToArray();

    public async Task Handle(TicketFiled filed, CancellationToken ct)
    {
        if (!filed.Category.IsKeyComplaint() || filed.OrderItemIds.Count == 0) return;

        var itemIds = filed.OrderItemIds.ToList();
        var batchIds = await (from i in db.OrderItems
                              join k in db.CardKeys on i.CardKeyId equals k.Id
                              where itemIds.Contains(i.Id)
                              select k.BatchId).Distinct().ToListAsync(ct);
        // Always in the same order, so two tickets spanning the same batches never wait on each other crosswise.
        foreach (var batchId in batchIds.Order())
            await DecideAsync(batchId, filed.TicketId, ct);
    }

    private async Task DecideAsync(Guid batchId, Guid ticketId, CancellationToken ct)
    {
        // Complaints about one batch are decided one after the other: the second of two concurrent
        // complaints waits here until the first has committed, then sees its ticket and its incident.
        // (The unique index on open incidents per batch is the last line of defence.)
        await db.Locks.TakeTurnsAsync(batchId, LockSeed, ct);

        var now = clock.GetUtcNow();
        var active = await db.Incidents.AsNoTracking()
            .Where(i => i.BatchId == batchId && i.Status != IncidentStatus.Closed)
            .OrderByDescending(i => i.OpenedAt)
            .Select(i => new { i.Id, i.No })
            .FirstOrDefaultAsync(ct);
        if (active is not null)
        {
            // An incident still being worked (open, or remedied but not yet closed) takes the ticket in: the
            // operator's remedy, pressed again, covers it too. Only a closed incident lets a new one open.
            if (!await db.IncidentTickets.AnyAsync(l => l.IncidentId == active.Id && l.TicketId == ticketId, ct))
                await LinkAsync(active.Id, active.No, [ticketId], now, ct);
            return;
        }

        var reason = await EvaluateAsync(batchId, now, ct);
        if (reason is null) return;
        await OpenAsync(batchId, reason, now, ct);
    }

    /// <summary>Why the batch needs an incident now, or null when it does not.</summary>
    private async Task<IncidentReason?> EvaluateAsync(Guid batchId, DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value;
        var inWindow = await CountAsync(batchId, now - settings.ComplaintWindow, ct);
        if (inWindow.Buyers >= settings.ComplaintsPerBatch && inWindow.Keys >= settings.ComplaintsPerBatch)
            return IncidentReason.InWindow(inWindow.Buyers, settings.ComplaintWindow);

        var sold = await db.CardKeys.CountAsync(k => k.BatchId == batchId && k.OrderId != null, ct);
        if (sold == 0 || sold < settings.MinSoldForRate) return null;
        var all = await CountAsync(batchId, DateTimeOffset.MinValue, ct);
        // A rate made of one buyer's keys (a reseller complaining about a hundred of theirs) is that buyer's case, not the batch's.
        if (all.Buyers < settings.MinBuyersForRate) return null;
        return (double)all.Keys / sold > settings.ComplaintRate
            ? IncidentReason.Rate(all.Keys, sold, settings.ComplaintRate)
            : null;
    }

    /// <summary>Different buyers and different keys of the batch in complaints filed since <paramref name="since"/>.</summary>
    private async Task<(int Buyers, int Keys)> CountAsync(Guid batchId, DateTimeOffset since, CancellationToken ct)
    {
        var complained = from t in Complaints(batchId)
                         where t.CreatedAt >= since
                         join ti in db.TicketItems on t.Id equals ti.TicketId
                         join oi in db.OrderItems on ti.OrderItemId equals oi.Id
                         join k in db.CardKeys on oi.CardKeyId equals k.Id
                         where k.BatchId == batchId
                         select new { t.BuyerId, KeyId = k.Id };
        var buyers = await complained.Select(c => c.BuyerId).Distinct().CountAsync(ct);
        var keys = await complained.Select(c => c.KeyId).Distinct().CountAsync(ct);
        return (buyers, keys);
    }

    /// <summary>
    /// Key complaints about keys of the batch that no incident has taken yet: a closed incident settled the
    /// complaints it covered, so they do not count twice.
    /// </summary>
    private IQueryable<Ticket> Complaints(Guid batchId)
    {
        var categories = KeyComplaintCategories;
        var settled = from l in db.IncidentTickets
                      join i in db.Incidents on l.IncidentId equals i.Id
                      where i.BatchId == batchId
                      select l.TicketId;
        return db.Tickets.Where(t => categories.Contains(t.Category) && !settled.Contains(t.Id)
            && db.TicketItems.Any(ti => ti.TicketId == t.Id
                && db.OrderItems.Any(oi => oi.Id == ti.OrderItemId && db.CardKeys.Any(k => k.Id == oi.CardKeyId && k.BatchId == batchId))));
    }

    private async Task OpenAsync(Guid batchId, IncidentReason reason, DateTimeOffset now, CancellationToken ct)
    {
        // The batch row is locked as FreezeBatch locks it, so an operator's freeze or unfreeze takes turns with this one.
        var batch = await db.Locks.LockAsync<KeyBatch>(batchId, ct) ?? throw new InvalidOperationException("The batch vanished.");
        var sku = await db.Products.Where(p => p.Id == batch.ProductId).Select(p => p.Sku).FirstAsync(ct);

        var incident = new Incident(OrderNumbers.NewIncidentNo(now), batch.Id, batch.SupplierId, batch.ProductId, reason.ToStored(), now);
        db.Incidents.Add(incident);
        // Written now: the freeze's key events name it, and the links below refer to it.
        await db.SaveChangesAsync(ct);

        // The batch's own freeze, as FreezeBatch's: only keys still for sale stop, and each key's history says
        // which incident froze it. Shown on the batches page; the operator releases the batch there once the
        // supplier has made good.
        var frozen = await keys.MoveAsync(batch.FreezeForIncident(incident.No, now), ct);

        var window = reason.Kind == IncidentReason.ComplaintsInWindow ? now - options.Value.ComplaintWindow : DateTimeOffset.MinValue;
        var ticketIds = await Complaints(batchId).Where(t => t.CreatedAt >= window).Select(t => t.Id).ToListAsync(ct);
        await LinkAsync(incident.Id, incident.No, ticketIds, now, ct);

        var link = "/Admin/Incidents/" + incident.No;
        await db.SendToRolesAsync(Operators, NotificationKind.IncidentOpened, link, now, email: true, ct,
            incident.No, sku, frozen.ToString(CultureInfo.InvariantCulture));
        db.RiskAlerts.Add(new RiskAlert("incident_opened", $"{incident.No} {sku}: {incident.Reason}; {frozen} keys frozen", null, null, incident.Id, now));
    }

    /// <summary>
    /// The tickets join the incident, and each says so on its timeline for the agent. They are not locked: joining
    /// appends a link and an event and changes no ticket row.
    /// </summary>
    private async Task LinkAsync(Guid incidentId, string incidentNo, IReadOnlyList<Guid> ticketIds, DateTimeOffset now, CancellationToken ct)
    {
        var tickets = await db.Tickets.Where(t => ticketIds.Contains(t.Id)).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(ct);
        foreach (var ticket in tickets)
        {
            db.IncidentTickets.Add(new IncidentTicket(incidentId, ticket.Id, now));
            ticket.JoinIncident(incidentNo, now);
        }
    }
}

/// <summary>
/// Why an incident opened, with the figures, stored on the incident as
/// <c>complaints_in_window:{buyers}:{hours}</c> or <c>complaint_rate:{keys}:{sold}:{threshold %}</c> and
/// worded by the pages in the reader's language.
/// </summary>
public sealed record IncidentReason(string Kind, int Complaints, int Sold, double WindowHours, double ThresholdPercent)
{
    public const string ComplaintsInWindow = "complaints_in_window";
    public const string ComplaintRate = "complaint_rate";

    public static IncidentReason InWindow(int buyers, TimeSpan window) => new(ComplaintsInWindow, buyers, 0, window.TotalHours, 0);

    public static IncidentReason Rate(int complainedKeys, int sold, double threshold) => new(ComplaintRate, complainedKeys, sold, 0, threshold * 100);

    /// <summary>The complaint rate in percent, for the rate rule.</summary>
    public double RatePercent => Sold == 0 ? 0 : 100.0 * Complaints / Sold;

    public string ToStored() => Kind == ComplaintsInWindow
        ? string.Create(CultureInfo.InvariantCulture, $"{Kind}:{Complaints}:{WindowHours:0.##}")
        : string.Create(CultureInfo.InvariantCulture, $"{Kind}:{Complaints}:{Sold}:{ThresholdPercent:0.##}");

    /// <summary>Reads a stored reason; anything unexpected is kept as an "other" reason with no figures.</summary>
    public static IncidentReason Parse(string stored)
    {
        var parts = stored.Split(':');
        static int Int(string s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
        static double Num(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return parts switch
        {
            [ComplaintsInWindow, var n, var hours] => new(ComplaintsInWindow, Int(n), 0, Num(hours), 0),
            [ComplaintRate, var n, var sold, var pct] => new(ComplaintRate, Int(n), Int(sold), 0, Num(pct)),
            _ => new(stored, 0, 0, 0, 0),
        };
    }
}
