using System.Globalization;
using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using CardMall.Domain.Wallets;
using CardMall.Infrastructure.Persistence;

namespace CardMall.Infrastructure.Seeding;

internal static partial class DemoTickets
{
    /// <summary>
    /// One ticket of the background's everyday customers (DemoBackground.cs), told step by step as its use case
    /// writes it, with the SLA watcher's pass replayed before every step. Unlike the demo buyers' stories
    /// (<see cref="Stories"/>, which send the real commands), these rows are written directly, in the seed's one
    /// transaction beside the background's bulk orders and keys: a copy of the use cases that can drift, kept
    /// only until the background is replayed through the commands too (decision 0031).
    /// </summary>
    private sealed class Story
    {
        private readonly History _h;
        private readonly ShopUser _buyer;
        private readonly Order? _order;
        private readonly IReadOnlyList<OrderItem> _items;
        private readonly List<SupplierCase> _cases = [];
        private DateTimeOffset _clock;
        private DateTimeOffset _lastBuyerWord;
        private Payout? _pending;
        private FollowUpTask? _followUp;

        public Story(History history, Ticket ticket, ShopUser buyer, Order? order, IReadOnlyList<OrderItem> items, DateTimeOffset at)
        {
            _h = history;
            Ticket = ticket;
            _buyer = buyer;
            _order = order;
            _items = items;
            _clock = at;
            _lastBuyerWord = at;
        }

        public Ticket Ticket { get; }

        private CardMallDbContext Db => _h.Db;

        /// <summary>As CreateTicket: the ticket, its keys, the buyer's words and the routing decision.</summary>
        public Story Filed(ShopUser? assignee)
        {
            var at = _clock;
            Db.Tickets.Add(Ticket);
            Record(TicketEventKinds.Created, Ticket.Category.ToString(), true, _buyer.Id, at);
            if (assignee is not null)
            {
                Ticket.AssignTo(assignee.Id, at);
                Record(TicketEventKinds.Assigned, assignee.Id.ToString(), false, _buyer.Id, at);
            }
            foreach (var item in _items) Db.TicketItems.Add(new TicketItem(Ticket.Id, item.OrderId, item.Id));
            Db.TicketMessages.Add(new TicketMessage(Ticket.Id, MessageAuthor.Buyer, _buyer.Id, Ticket.Description, isInternal: false, at));
            return this;
        }

        /// <summary>As ReplyAsStaff: a public reply stops the first-response clock; a New ticket becomes Open.</summary>
        public Story Reply(ShopUser agent, string body, DateTimeOffset at, TicketStatus? then = null)
        {
            Advance(at);
            StaffSays(agent, body, at);
            if (Ticket.AssigneeId is null) Assign(agent, agent, at);
            var next = then ?? (Ticket.Status == TicketStatus.New ? TicketStatus.Open : Ticket.Status);
            if (next != Ticket.Status) Move(next, agent.Id, at);
            return this;
        }

        public Story Note(ShopUser staff, string body, DateTimeOffset at)
        {
            Advance(at);
            Db.TicketMessages.Add(new TicketMessage(Ticket.Id, MessageAuthor.Staff, staff.Id, body, isInternal: true, at));
            Record(TicketEventKinds.NoteAdded, null, false, staff.Id, at);
            return this;
        }

        /// <summary>As ReplyToTicket: the answer the agent waited for restarts the clock.</summary>
        public Story BuyerSays(string body, DateTimeOffset at)
        {
            Advance(at);
            if (Ticket.Status == TicketStatus.WaitingOnBuyer) Move(TicketStatus.Open, _buyer.Id, at);
            Db.TicketMessages.Add(new TicketMessage(Ticket.Id, MessageAuthor.Buyer, _buyer.Id, body, isInternal: false, at));
            Record(TicketEventKinds.BuyerReplied, null, true, _buyer.Id, at);
            _lastBuyerWord = at;
            return this;
        }

        /// <summary>An agent's judgement of how pressing the ticket is; the promised due times stay as they were.</summary>
        public Story Triage(ShopUser agent, TicketPriority priority, DateTimeOffset at)
        {
            Advance(at);
            Ticket.SetPriority(priority, at);
            Record(TicketEventKinds.PriorityChanged, priority.ToString(), false, agent.Id, at);
            return this;
        }

        /// <summary>As UrgeTicket: counted, and every second urge raises the priority.</summary>
        public Story Urge(DateTimeOffset at)
        {
            Advance(at);
            var outcome = Ticket.Urge(at, _h.Rules.UrgeInterval);
            if (!outcome.Accepted) throw new InvalidOperationException($"Demo ticket {Ticket.No} is urged twice within the interval.");
            Record(TicketEventKinds.Urged, Ticket.UrgeCount.ToString(CultureInfo.InvariantCulture), true, _buyer.Id, at);
            if (outcome.PriorityRaised) Record(TicketEventKinds.PriorityChanged, Ticket.Priority.ToString(), true, _buyer.Id, at);
            return this;
        }

        /// <summary>As EscalateToSupplier: Waiting on supplier, one case per supplier of the ticket's keys.</summary>
        public Story Escalate(ShopUser agent, string question, DateTimeOffset at)
        {
            Advance(at);
            if (Ticket.Status != TicketStatus.WaitingOnSupplier) Move(TicketStatus.WaitingOnSupplier, agent.Id, at);
            var due = at + _h.Rules.SupplierCaseDue;
            foreach (var supplierId in _items.Select(_h.SupplierOf).Distinct())
            {
                var supplierCase = new SupplierCase(Ticket.Id, supplierId, question, agent.Id, at, due);
                Db.SupplierCases.Add(supplierCase);
                _cases.Add(supplierCase);
            }
            Record(TicketEventKinds.EscalatedToSupplier, due.ToString("O", CultureInfo.InvariantCulture), true, agent.Id, at);
            return this;
        }

        /// <summary>As RecordSupplierReply: the last open case answered brings the ticket back to Open.</summary>
        public Story SupplierAnswers(ShopUser agent, string reply, DateTimeOffset at)
        {
            Advance(at);
            foreach (var supplierCase in _cases.Where(c => c.IsOpen))
            {
                supplierCase.RecordReply(reply, agent.Id, at);
                Record(TicketEventKinds.SupplierReplied, null, false, agent.Id, at);
            }
            if (Ticket.Status == TicketStatus.WaitingOnSupplier) Move(TicketStatus.Open, agent.Id, at);
            return this;
        }

        /// <summary>
        /// As ReplaceKey: a fresh key of the product is sold to the same order, the old one is voided. The background
        /// brings the fresh key from its own batch (<paramref name="fresh"/>), so the shelves keep their stock.
        /// </summary>
        public async Task<OrderItem> ReplaceAsync(ShopUser agent, OrderItem item, DateTimeOffset at, CardKey? fresh = null)
        {
            Advance(at);
            var order = _order ?? throw new InvalidOperationException("The demo replaces keys on single-order tickets.");
            var oldKey = _h.KeyOf(item);
            var freshKey = fresh ?? await _h.TakeFreshKeyAsync(oldKey.ProductId, at);
            Db.CardKeyEvents.Add(freshKey.Sell(order.Id, order.UserId, at));
            var newItem = new OrderItem(order.Id, freshKey.Id, at, replacesItemId: item.Id);
            Db.OrderItems.Add(newItem);
            Db.CardKeyEvents.Add(oldKey.Void(agent.Id, CardMall.Application.Features.Tickets.KeyReplacement.VoidedOnTicket + Ticket.No, at));
            Db.TicketItems.Add(new TicketItem(Ticket.Id, order.Id, newItem.Id));
            Record(TicketEventKinds.KeyReplaced, order.No, true, agent.Id, at);
            // Saved at once when the key came from stock: the next purchase or replacement must find it sold.
            if (fresh is null) await Db.SaveChangesAsync(_h.Ct);
            return newItem;
        }

        public Story Reveal(OrderItem item, DateTimeOffset at)
        {
            Advance(at);
            Db.CardKeyEvents.Add(CardKeyEvent.Record(item.CardKeyId, CardKeyEventKind.Revealed, at, _buyer.Id, "channel:web", orderId: item.OrderId));
            return this;
        }

        /// <summary>As IssuePayout within the requester's limit: paid at once.</summary>
        public Story Refund(ShopUser agent, decimal amount, string reason, DateTimeOffset at)
        {
            Advance(at);
            var payout = NewRefund(agent, amount, reason, at);
            Pay(payout, agent, at);
            return this;
        }

        /// <summary>As IssuePayout above the requester's limit: it waits in the approval queue, unseen by the buyer.</summary>
        public Story RequestRefund(ShopUser agent, decimal amount, string reason, DateTimeOffset at)
        {
            Advance(at);
            _pending = NewRefund(agent, amount, reason, at);
            Record(TicketEventKinds.RefundRequested, $"{PayoutKind.Refund}:{Plain(amount)}", false, agent.Id, at);
            return this;
        }

        /// <summary>As DecidePayout: somebody other than the requester, within their own limit, pays it.</summary>
        public Story Approve(ShopUser supervisor, DateTimeOffset at)
        {
            Advance(at);
            var payout = _pending ?? throw new InvalidOperationException("Nothing waits for approval.");
            if (payout.RequestedBy == supervisor.Id) throw new InvalidOperationException("Nobody approves their own request.");
            Pay(payout, supervisor, at);
            _pending = null;
            return this;
        }

        /// <summary>As ResolveTicket: a rejection's reason and the closing words are public replies; the outcome is recorded.</summary>
        public Story Resolve(ShopUser agent, Responsibility responsibility, RootCause rootCause, TicketResolution resolution, DateTimeOffset at,
            string? closing = null, string? reason = null)
        {
            Advance(at);
            foreach (var text in new[] { reason, closing }.OfType<string>()) StaffSays(agent, text, at);
            if (Ticket.AssigneeId is null) Assign(agent, agent, at);
            Ticket.Decide(responsibility, rootCause, resolution, resolution == TicketResolution.Rejected ? reason : null, at);
            Move(TicketStatus.Resolved, agent.Id, at);
            Record(TicketEventKinds.Resolved, resolution.ToString(), true, agent.Id, at);
            return this;
        }

        /// <summary>As ReopenTicket: "not solved after all", within the window; back to Open with the buyer's reason.</summary>
        public Story Reopen(string reason, DateTimeOffset at)
        {
            Advance(at);
            if (!Ticket.CanReopen(at, _h.Rules.ReopenWindow)) throw new InvalidOperationException($"Demo ticket {Ticket.No} cannot be reopened.");
            Move(TicketStatus.Open, _buyer.Id, at);
            Record(TicketEventKinds.Reopened, null, true, _buyer.Id, at);
            Db.TicketMessages.Add(new TicketMessage(Ticket.Id, MessageAuthor.Buyer, _buyer.Id, reason, isInternal: false, at));
            Record(TicketEventKinds.BuyerReplied, null, true, _buyer.Id, at);
            _lastBuyerWord = at;
            return this;
        }

        /// <summary>As ConfirmResolution: the buyer closes it before the automatic three days.</summary>
        public Story Confirm(DateTimeOffset at)
        {
            Advance(at);
            Move(TicketStatus.Closed, _buyer.Id, at);
            return this;
        }

        /// <summary>As RateTicket: a score of 2 or less becomes a supervisor's follow-up task.</summary>
        public Story Rate(int score, string comment, DateTimeOffset at)
        {
            Advance(at);
            Ticket.Rate(score, comment, at);
            Record(TicketEventKinds.Rated, score.ToString(CultureInfo.InvariantCulture), true, _buyer.Id, at);
            if (score <= 2)
            {
                _followUp = new FollowUpTask(Ticket.Id, "low_rating", at);
                Db.FollowUpTasks.Add(_followUp);
            }
            return this;
        }

        public Story FollowUpDone(ShopUser supervisor, string note, DateTimeOffset at)
        {
            Advance(at);
            (_followUp ?? throw new InvalidOperationException("No follow-up task to complete.")).Complete(supervisor.Id, note, at);
            return this;
        }

        /// <summary>The watcher's passes up to the seeding moment: after this, nothing is due on the ticket.</summary>
        public void Finish() => CatchUp(_h.Now);

        private void Advance(DateTimeOffset at)
        {
            if (at < _clock || at > _h.Now) throw new InvalidOperationException($"Demo ticket {Ticket.No} has a step out of order at {at:O}.");
            CatchUp(at);
            _clock = at;
        }

        private void StaffSays(ShopUser agent, string body, DateTimeOffset at)
        {
            Db.TicketMessages.Add(new TicketMessage(Ticket.Id, MessageAuthor.Staff, agent.Id, body, isInternal: false, at));
            Ticket.RecordStaffReply(at);
            Record(TicketEventKinds.Replied, null, true, agent.Id, at);
        }

        private void Assign(ShopUser by, ShopUser to, DateTimeOffset at)
        {
            Ticket.AssignTo(to.Id, at);
            Record(TicketEventKinds.Assigned, to.Id.ToString(), false, by.Id, at);
        }

        private void Move(TicketStatus to, Guid? actor, DateTimeOffset at)
        {
            var from = Ticket.Status;
            if (!Ticket.MoveTo(to, at)) throw new InvalidOperationException($"Demo ticket {Ticket.No} cannot move from {from} to {to}.");
            Record(TicketEventKinds.StatusChanged, to.ToString(), true, actor, at);
        }

        private Payout NewRefund(ShopUser requester, decimal amount, string reason, DateTimeOffset at)
        {
            var order = _order ?? throw new InvalidOperationException("The demo refunds single-order tickets.");
            var payout = new Payout(Ticket.Id, order.Id, PayoutKind.Refund, amount, reason, requester.Id, Guid.NewGuid().ToString("N"), at);
            Db.Payouts.Add(payout);
            return payout;
        }

        /// <summary>As RemedyDesk.PayAsync: the order's refunded amount, a ledger line on the ticket's number, the public event.</summary>
        private void Pay(Payout payout, ShopUser payer, DateTimeOffset at)
        {
            _order!.Refund(payout.Amount);
            _h.Post(Ticket.BuyerId, LedgerKind.Refund, payout.Amount, Ticket.No, at, payer.Id, payout.Reason);
            payout.MarkPaid(payer.Id, at);
            Record(TicketEventKinds.Refunded, Plain(payout.Amount), true, payer.Id, at);
        }

        private void Record(string kind, string? detail, bool isPublic, Guid? actor, DateTimeOffset at) =>
            Db.TicketEvents.Add(new TicketEvent(Ticket.Id, kind, at, actor, detail, isPublic));

        /// <summary>
        /// Replays WatchSlas up to <paramref name="until"/>: the earliest mark that falls due is made at the
        /// moment it fell due (the ticket did not change in between), then the next, until none is left.
        /// </summary>
        private void CatchUp(DateTimeOffset until)
        {
            while (NextWatch(until) is { } next) next.Apply(Max(next.At, _clock));
        }

        private sealed record Watch(DateTimeOffset At, Action<DateTimeOffset> Apply);

        private Watch? NextWatch(DateTimeOffset until)
        {
            var t = Ticket;
            var share = 1 - _h.Rules.WarnAt;
            var due = new List<Watch>();
            if (t.IsActive && !t.IsPaused)
            {
                if (t.FirstRespondedAt is null && t.FirstResponseWarnedAt is null)
                    due.Add(new Watch(t.FirstResponseDueAt.AddMinutes(-t.FirstResponseTargetMinutes * share), at => Warn(at, firstResponse: true)));
                if (t.ResolutionWarnedAt is null)
                    due.Add(new Watch(t.ResolutionDueAt.AddMinutes(-t.ResolutionTargetMinutes * share), at => Warn(at, firstResponse: false)));
                // A breach is strictly after the due time, as the watcher's check (now > due) has it.
                if (t.FirstRespondedAt is null && t.FirstResponseBreachedAt is null && until > t.FirstResponseDueAt)
                    due.Add(new Watch(t.FirstResponseDueAt, at => Breach(at, firstResponse: true)));
                if (t.ResolutionBreachedAt is null && until > t.ResolutionDueAt)
                    due.Add(new Watch(t.ResolutionDueAt, at => Breach(at, firstResponse: false)));
            }
            if (t.Status == TicketStatus.Resolved && t.ResolvedAt is { } resolved)
            {
                // A buyer who wrote or rated since the resolution has answered already: no check-in.
                if (t.CheckInSentAt is null && t.RatedAt is null && _lastBuyerWord < resolved)
                    due.Add(new Watch(resolved + _h.Rules.CheckInAfter, CheckIn));
                due.Add(new Watch(resolved + _h.Rules.AutoCloseAfter, at => Move(TicketStatus.Closed, null, at)));
            }
            return due.Where(w => w.At <= until).OrderBy(w => w.At).FirstOrDefault();
        }

        private void Warn(DateTimeOffset at, bool firstResponse)
        {
            if (firstResponse) Ticket.MarkFirstResponseWarned(at);
            else Ticket.MarkResolutionWarned(at);
            Record(TicketEventKinds.SlaWarning, firstResponse ? "first_response" : "resolution", false, null, at);
        }

        private void Breach(DateTimeOffset at, bool firstResponse)
        {
            var before = Ticket.Priority;
            if (firstResponse) Ticket.MarkFirstResponseBreached(at);
            else Ticket.MarkResolutionBreached(at);
            Record(TicketEventKinds.SlaBreached, firstResponse ? "first_response" : "resolution", false, null, at);
            if (Ticket.Priority != before) Record(TicketEventKinds.PriorityChanged, Ticket.Priority.ToString(), false, null, at);
        }

        private void CheckIn(DateTimeOffset at)
        {
            Ticket.MarkCheckInSent(at);
            Record(TicketEventKinds.CheckInSent, null, true, null, at);
        }

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

        private static string Plain(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
    }
}
