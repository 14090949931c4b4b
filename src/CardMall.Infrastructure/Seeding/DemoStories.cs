using CardMall.Application.Accounts;
using CardMall.Application.Features.Chats;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Features.Wallet;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using CardMall.Domain.Wallets;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Seeding;

internal static partial class DemoTickets
{
    /// <summary>
    /// The demo buyers' own stories — 小明, VIP 小红 and 星河代理 — told as what they and the desk did: every purchase,
    /// ticket, reply, note, replacement, refund, escalation, rating and follow-up is the shop's own command, sent
    /// by <see cref="DemoReplay"/> as that person at that moment. The words are in Data/ticket-stories.json.
    /// </summary>
    private sealed partial class Stories(DemoReplay replay, Cast cast, DateTimeOffset now)
    {
        private readonly Dictionary<Guid, bool> _onDuty = [];

        public DemoReplay Replay => replay;

        public Cast People => cast;

        public DateTimeOffset Day(int daysAgo, int hour, int minute) => ShopDay(now, daysAgo, hour, minute);

        public DateTimeOffset Ago(int hours, int minutes = 0) => now - new TimeSpan(hours, minutes, 0);

        public async Task TellAsync(IReadOnlyCollection<ShopUser> fresh)
        {
            foreach (var (email, onDuty, _) in Desk) _onDuty[cast.Everyone.Single(u => u.Email == email).Id] = onDuty;
            if (fresh.Contains(cast.Buyer)) Xiaoming();
            if (fresh.Contains(cast.Vip)) Xiaohong();
            if (fresh.Contains(cast.Reseller)) Xinghe();
            if (fresh.Contains(cast.Buyer)) LiveChat("xiaoming-windows-chat", cast.Buyer, cast.Agent, Day(2, 10, 12), TimeSpan.FromSeconds(8));
            if (fresh.Contains(cast.Vip)) LiveChat("xiaohong-membership-chat", cast.Vip, cast.Agent2, Day(1, 20, 40), TimeSpan.FromSeconds(14));
            foreach (var buyer in fresh) replay.Watch(buyer.Id);
            await replay.PlayAsync(now);
            // The desk as it stands today, whoever the stories put on duty last. Nobody sits at the chat console of a
            // demo shop, so those on duty are away for chats (tickets only) until somebody signs in as one and switches
            // to online on /Admin/Chats: a visitor's "talk to us" then becomes a ticket rather than waiting for nobody.
            foreach (var (email, onDuty, _) in Desk) await SetDutyAsync(cast.Everyone.Single(u => u.Email == email), onDuty);
            foreach (var (email, onDuty, _) in Desk.Where(d => d.OnDuty))
                await replay.SendAsync(cast.Supervisor, new SetAvailability(AgentAvailability.Away, cast.Everyone.Single(u => u.Email == email).Id));
        }

        /// <summary>A purchase as the buyer makes it; on the web the buyer opens the keys a couple of minutes later.</summary>
        public DemoOrder Buy(ShopUser buyer, string sku, int quantity, DateTimeOffset at, string channel = "web", bool revealed = true)
        {
            var order = new DemoOrder();
            replay.At(at, async () => order.View = await replay.SendAsync(buyer,
                new PlaceOrder(sku, quantity, AcceptNotices: true, IdempotencyKey: null, channel, RevealKeys: channel == "api")));
            if (revealed && channel != "api")
                replay.At(at.AddMinutes(2), async () =>
                {
                    foreach (var item in order.View.Items) await replay.SendAsync(buyer, new RevealKey(order.No, item.ItemId));
                });
            return order;
        }

        /// <summary>
        /// A top-up through the sandbox gateway, already paid. Written directly: paying is a round trip through the
        /// web project's sandbox payment page, which the seeder has no browser for; the row and its ledger line are
        /// what SettleTopUp leaves behind.
        /// </summary>
        public void TopUp(ShopUser buyer, decimal amount, DateTimeOffset at) =>
            replay.At(at, () => replay.WriteAsync(async db =>
            {
                var topUp = new TopUp(OrderNumbers.NewTopUpNo(at), buyer.Id, amount, "sandbox", at, TimeSpan.FromMinutes(30));
                var paidAt = at.AddMinutes(1);
                topUp.MarkPaid("DEMO-" + topUp.No, paidAt);
                db.TopUps.Add(topUp);
                var wallet = await db.LockOrCreateAsync(buyer.Id, paidAt, replay.Ct);
                db.LedgerEntries.Add(wallet.Post(LedgerKind.TopUp, amount, topUp.No, paidAt, null, null));
            }));

        /// <summary>
        /// A ticket filed by its buyer about keys of one order (or, <paramref name="bulk"/>, a reseller's list of codes).
        /// Routing is the shop's: to land with <paramref name="agent"/> — or with nobody, a ticket filed while nobody
        /// was on duty — the desk's duty switches are set first, as the supervisor sets them on the staff page.
        /// </summary>
        public DemoTicket File(string story, ShopUser buyer, DemoOrder? order, Func<IReadOnlyList<OrderItemView>> items, TicketCategory category,
            DateTimeOffset at, ShopUser? agent, bool bulk = false)
        {
            var ticket = new DemoTicket(this, story, buyer, order);
            replay.At(at, async () =>
            {
                foreach (var member in cast.DeskStaff) await SetDutyAsync(member, member == agent);
                var description = DemoTexts.Of(story, "filed");
                var device = DemoTexts.OfOrNull(story, "device");
                var chosen = items();
                ticket.No = bulk
                    ? (await replay.SendAsync(buyer, new FileBulkTicket(string.Join('\n', chosen.Select(i => i.Code)), category, description, device, []))).Ticket.TicketNo
                    : (await replay.SendAsync(buyer, new CreateTicket(order!.No, chosen.Select(i => i.ItemId).ToList(), category, description, device, []))).TicketNo;
                // The filing queued an automatic check of each key (QueueVerificationOnTicketFiled). In these stories
                // the agents check by hand and ask the supplier themselves; a check left queued would be run by the
                // verification worker today, against today's sandbox supplier, and rewrite a story weeks old.
                await replay.WriteAsync(db => db.KeyVerifications
                    .Where(v => v.TicketId == db.Tickets.Where(t => t.No == ticket.No).Select(t => t.Id).First())
                    .ExecuteDeleteAsync(replay.Ct));
            });
            return ticket;
        }

        /// <summary>SetOnDuty as the supervisor sets it for anybody on the desk.</summary>
        private async Task SetDutyAsync(ShopUser member, bool onDuty)
        {
            if (_onDuty[member.Id] == onDuty) return;
            await replay.SendAsync(cast.Supervisor, new SetOnDuty(onDuty, member.Id));
            _onDuty[member.Id] = onDuty;
        }
    }

    /// <summary>An order of a story, known once its purchase has been played.</summary>
    private sealed class DemoOrder
    {
        public OrderView View { get; set; } = null!;

        public string No => View.OrderNo;

        public IReadOnlyList<OrderItemView> Items => View.Items;
    }

    /// <summary>
    /// One ticket of a story: each method schedules the command its step is, at its moment; the ticket's number is
    /// known once its filing has been played. The texts are the ticket's in Data/ticket-stories.json.
    /// </summary>
    private sealed class DemoTicket(Stories stories, string story, ShopUser buyer, DemoOrder? order)
    {
        private DemoReplay Replay => stories.Replay;

        public string No { get; set; } = "";

        private string Say(string text) => DemoTexts.Of(story, text).Replace("{orderNo}", order?.No, StringComparison.Ordinal);

        private DemoTicket Then(DateTimeOffset at, Func<Task> step)
        {
            Replay.At(at, step);
            return this;
        }

        public DemoTicket Reply(ShopUser agent, string text, DateTimeOffset at, TicketStatus? then = null) =>
            Then(at, () => Replay.SendAsync(agent, new ReplyAsStaff(No, Say(text), then)));

        public DemoTicket Note(ShopUser staff, string text, DateTimeOffset at) =>
            Then(at, () => Replay.SendAsync(staff, new AddInternalNote(No, Say(text))));

        public DemoTicket BuyerSays(string text, DateTimeOffset at) =>
            Then(at, () => Replay.SendAsync(buyer, new ReplyToTicket(No, Say(text), [])));

        public DemoTicket Claim(ShopUser staff, DateTimeOffset at) => Then(at, () => Replay.SendAsync(staff, new ClaimTicket(No)));

        public DemoTicket Reassign(ShopUser supervisor, ShopUser to, DateTimeOffset at) =>
            Then(at, () => Replay.SendAsync(supervisor, new ReassignTicket(No, to.Id)));

        public DemoTicket Urge(DateTimeOffset at) => Then(at, () => Replay.SendAsync(buyer, new UrgeTicket(No)));

        public DemoTicket Escalate(ShopUser agent, string text, DateTimeOffset at) =>
            Then(at, () => Replay.SendAsync(agent, new EscalateToSupplier(No, Say(text))));

        /// <summary>The supplier's answer, entered by the agent on every case still open.</summary>
        public DemoTicket SupplierAnswers(ShopUser agent, string text, DateTimeOffset at) => Then(at, async () =>
        {
            var cases = await Replay.ReadAsync(db => db.SupplierCases.AsNoTracking()
                .Where(c => c.RepliedAt == null && db.Tickets.Any(t => t.Id == c.TicketId && t.No == No)).Select(c => c.Id).ToListAsync(Replay.Ct));
            foreach (var id in cases) await Replay.SendAsync(agent, new RecordSupplierReply(No, id, Say(text)));
        });

        /// <summary>A new key for the order's item; <paramref name="revealedAt"/>, the buyer opens it.</summary>
        public DemoTicket Replace(ShopUser agent, Func<OrderItemView> item, DateTimeOffset at, DateTimeOffset? revealedAt = null)
        {
            KeyReplaced? replaced = null;
            Then(at, async () => replaced = await Replay.SendAsync(agent, new ReplaceKey(No, item().ItemId)));
            return revealedAt is { } seen ? Then(seen, () => Replay.SendAsync(buyer, new RevealKey(replaced!.OrderNo, replaced.NewItemId))) : this;
        }

        /// <summary>A refund of <paramref name="amount"/>: paid at once within the agent's limit, otherwise waiting for approval.</summary>
        public DemoTicket Refund(ShopUser agent, Func<decimal> amount, string reason, DateTimeOffset at) =>
            Then(at, () => Replay.SendAsync(agent, new IssuePayout(No, PayoutKind.Refund, amount(), Say(reason), Guid.NewGuid().ToString("N"), order?.No)));

        /// <summary>The supervisor approves the refund that waits on the ticket.</summary>
        public DemoTicket Approve(ShopUser supervisor, DateTimeOffset at) => Then(at, async () =>
        {
            var payout = await Replay.ReadAsync(db => db.Payouts.AsNoTracking()
                .Where(p => p.Status == PayoutStatus.Pending && db.Tickets.Any(t => t.Id == p.TicketId && t.No == No)).Select(p => p.Id).SingleAsync(Replay.Ct));
            await Replay.SendAsync(supervisor, new DecidePayout(payout, Approve: true, Note: null));
        });

        public DemoTicket Resolve(ShopUser agent, Responsibility responsibility, RootCause rootCause, TicketResolution resolution, DateTimeOffset at,
            string? closing = null, string? reason = null) =>
            Then(at, () => Replay.SendAsync(agent, new ResolveTicket(No, responsibility, rootCause, resolution,
                reason is null ? null : Say(reason), closing is null ? null : Say(closing))));

        public DemoTicket Confirm(DateTimeOffset at) => Then(at, () => Replay.SendAsync(buyer, new ConfirmResolution(No)));

        public DemoTicket Rate(int score, DateTimeOffset at) => Then(at, () => Replay.SendAsync(buyer, new RateTicket(No, score, Say("rating"))));

        public DemoTicket FollowUpDone(ShopUser supervisor, string text, DateTimeOffset at) => Then(at, async () =>
        {
            var task = await Replay.ReadAsync(db => db.FollowUpTasks.AsNoTracking()
                .Where(f => f.DoneAt == null && db.Tickets.Any(t => t.Id == f.TicketId && t.No == No)).Select(f => f.Id).SingleAsync(Replay.Ct));
            await Replay.SendAsync(supervisor, new CompleteFollowUpTask(task, Say(text)));
        });

        /// <summary>
        /// An agent's judgement that the ticket is less pressing. Written directly: no use case changes a ticket's
        /// priority by hand (only urges and breaches raise it), and the demo's queue shows every priority.
        /// </summary>
        public DemoTicket Triage(ShopUser agent, TicketPriority priority, DateTimeOffset at) => Then(at, () => Replay.WriteAsync(async db =>
        {
            var ticket = await db.Tickets.SingleAsync(t => t.No == No, Replay.Ct);
            ticket.SetPriority(priority, at);
            ticket.Record(TicketEventKinds.PriorityChanged, new PriorityDetail(priority), isPublic: false, agent.Id, at);
        }));
    }
}
