using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Features.Wallet;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Catalog;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using CardMall.Domain.Wallets;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// The demo shop's after-sales desk: agents with duty and skills, reply templates, and three weeks of
/// history — past orders of the demo buyers and twenty tickets in every status and category, with
/// conversations, internal notes, remedies, urges, ratings and SLA breaches — so the agent workspace and
/// the dashboards have something true to show. Under those stories lie two months of ordinary shop life
/// (<see cref="Background"/>, in DemoBackground.cs): everyday customers, their orders and the odd ticket.
/// <para>
/// The demo buyers' stories (<see cref="Stories"/>) are the shop's own commands sent through the mediator at
/// past times (<see cref="DemoReplay"/>), so they show exactly what the use cases do today. The background is
/// written directly, in one transaction, the way the use cases write it (<see cref="Story"/>); it is committed
/// before the stories start, which buy from the same shelves and are then played command by command. Either way
/// the data is coherent: wallets equal their ledgers, keys are sold once, due times come from the seeded SLA
/// policies and move with every pause, and the SLA watcher is replayed alongside, so the first real watcher pass
/// finds nothing left to do.
/// </para>
/// Seeded once: staff who already have a profile, a desk that already has templates, and a buyer who
/// already has orders or tickets are left alone.
/// </summary>
internal static partial class DemoTickets
{
    /// <summary>
    /// How long ago the demo shop opened: its catalogue, accounts and history all lie after this. A little
    /// over two months, so that the dashboard's last 30 days and the 30 days before them are both full.
    /// </summary>
    public static readonly TimeSpan ShopAge = TimeSpan.FromDays(62);

    private const string BuyerEmail = "buyer@cardmall.test";
    private const string VipEmail = "vip@cardmall.test";
    private const string ResellerEmail = "reseller@cardmall.test";
    private const string AgentEmail = "agent@cardmall.test";
    private const string Agent2Email = "agent2@cardmall.test";
    private const string Agent3Email = "agent3@cardmall.test";
    private const string SupervisorEmail = "supervisor@cardmall.test";

    private static readonly TicketCategory[] AllCategories = Enum.GetValues<TicketCategory>();

    /// <summary>Who works the desk: two generalists, a key specialist on duty and an account/refund specialist off duty.</summary>
    private static readonly (string Email, bool OnDuty, TicketCategory[] Skills)[] Desk =
    [
        (AgentEmail, true, AllCategories),
        (SupervisorEmail, true, AllCategories),
        (Agent2Email, true, [TicketCategory.KeyInvalid, TicketCategory.KeyAlreadyUsed, TicketCategory.ActivationFailed, TicketCategory.WrongRegion, TicketCategory.NotReceived]),
        (Agent3Email, false, [TicketCategory.KeyAlreadyUsed, TicketCategory.WrongRegion, TicketCategory.AccountAbnormal, TicketCategory.RefundRequest, TicketCategory.Other]),
    ];

    public static async Task SeedAsync(CardMallDbContext db, DemoScope scope, AfterSalesOptions rules, ICardKeyVault vault,
        Func<ShopUser, string> hashPassword, Guid operatorId, DateTimeOffset now, CancellationToken ct)
    {
        Cast? cast = null;
        IReadOnlyList<ShopUser> fresh = [];
        // The context retries transient failures, so an explicit transaction runs inside its strategy.
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            cast = await Cast.LoadAsync(db, ct);
            if (cast is null) return;
            await SeedDeskAsync(db, now, ct);
            await SeedTemplatesAsync(db, cast.Supervisor.Id, now - ShopAge, ct);
            fresh = await new History(db, cast, rules, vault, hashPassword, operatorId, now, ct).WriteAsync();
            await tx.CommitAsync(ct);
        });
        if (cast is null || fresh.Count == 0) return;

        // Committed first: the commands run on connections of their own and must see the accounts, stock and money.
        await using var replay = new DemoReplay(scope, rules, now - ShopAge, ct);
        await new Stories(replay, cast, now).TellAsync(fresh);
    }

    /// <summary>Wall-clock time in Beijing on the shop day <paramref name="daysAgo"/> days before today (always in the past for daysAgo ≥ 1).</summary>
    private static DateTimeOffset ShopDay(DateTimeOffset now, int daysAgo, int hour, int minute)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, ShopTime.Zone).Date);
        var local = today.AddDays(-daysAgo).ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, ShopTime.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static async Task SeedDeskAsync(CardMallDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (email, onDuty, skills) in Desk)
        {
            var userId = await db.Users.Where(u => u.Email == email).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
            if (userId is not { } id || await db.AgentProfiles.AnyAsync(a => a.UserId == id, ct)) continue;
            db.AgentProfiles.Add(new AgentProfile(id, now) { OnDuty = onDuty, Skills = [.. skills] });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Supervisors edit templates on a page; once there are any, theirs are the desk's.</summary>
    private static async Task SeedTemplatesAsync(CardMallDbContext db, Guid supervisorId, DateTimeOffset at, CancellationToken ct)
    {
        if (await db.ReplyTemplates.AnyAsync(ct)) return;
        foreach (var (title, category, zh, en) in DemoTexts.Templates())
            db.ReplyTemplates.Add(new ReplyTemplate(title, category, zh, en, supervisorId, at));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The demo accounts the history needs; null when one is missing (nothing is written then).</summary>
    private sealed record Cast(ShopUser Buyer, ShopUser Vip, ShopUser Reseller, ShopUser Agent, ShopUser Agent2, ShopUser Agent3,
        ShopUser Supervisor, IReadOnlyList<ShopUser> Everyone)
    {
        /// <summary>Whoever the desk's routing may choose, in the order of <see cref="Desk"/>.</summary>
        public IReadOnlyList<ShopUser> DeskStaff => [Agent, Supervisor, Agent2, Agent3];

        public static async Task<Cast?> LoadAsync(CardMallDbContext db, CancellationToken ct)
        {
            var emails = DemoData.Accounts.Select(a => a.Email).ToList();
            var users = await db.Users.Where(u => emails.Contains(u.Email!)).ToListAsync(ct);
            ShopUser? By(string email) => users.FirstOrDefault(u => u.Email == email);
            if (By(BuyerEmail) is not { } buyer || By(VipEmail) is not { } vip || By(ResellerEmail) is not { } reseller
                || By(AgentEmail) is not { } agent || By(Agent2Email) is not { } agent2 || By(Agent3Email) is not { } agent3
                || By(SupervisorEmail) is not { } supervisor)
                return null;
            return new Cast(buyer, vip, reseller, agent, agent2, agent3, supervisor, users);
        }
    }

    private sealed record Posting(Guid UserId, LedgerKind Kind, decimal Amount, string Reference, DateTimeOffset At, Guid? Actor, string? Note);

    /// <summary>The past of the demo shop, written buyer by buyer, ticket by ticket.</summary>
    private sealed class History(CardMallDbContext db, Cast cast, AfterSalesOptions rules, ICardKeyVault vault, Func<ShopUser, string> hashPassword,
        Guid operatorId, DateTimeOffset now, CancellationToken ct)
    {
        private readonly List<Posting> _postings = [];
        private readonly List<Story> _stories = [];
        private readonly Dictionary<Guid, CardKey> _keys = [];
        private Dictionary<TicketPriority, SlaTargets> _sla = [];
        private Dictionary<string, Product> _products = [];
        private Dictionary<Guid, Guid> _batchSuppliers = [];

        public CardMallDbContext Db => db;
        public AfterSalesOptions Rules => rules;
        public DateTimeOffset Now => now;
        public CancellationToken Ct => ct;
        public Cast People => cast;
        public Guid OperatorId => operatorId;
        public Product ProductOf(string sku) => _products[sku];

        /// <summary>Writes the background and funds the demo buyers; returns the buyers whose stories are still to be told.</summary>
        public async Task<IReadOnlyList<ShopUser>> WriteAsync()
        {
            _sla = await db.SlaPolicies.AsNoTracking().ToDictionaryAsync(p => p.Priority, p => p.Targets, ct);
            _products = await db.Products.AsNoTracking().ToDictionaryAsync(p => p.Sku, ct);
            _batchSuppliers = await db.KeyBatches.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.SupplierId, ct);
            string[] skus = ["WOW-60", "NETEASE-100", "GENSHIN-648", "STEAM-WALLET-100", "WIN11-PRO", "IQIYI-VIP-M", "QQMUSIC-GREEN-Y"];
            if (_sla.Count < Enum.GetValues<TicketPriority>().Length || skus.Any(s => !_products.ContainsKey(s))) return [];

            ShopUser[] buyers = [cast.Buyer, cast.Vip, cast.Reseller];
            var fresh = new List<ShopUser>();
            foreach (var buyer in buyers)
            {
                var id = buyer.Id;
                if (!await db.Orders.AnyAsync(o => o.UserId == id, ct) && !await db.Tickets.AnyAsync(t => t.BuyerId == id, ct)) fresh.Add(buyer);
            }
            if (fresh.Count == 0) return [];

            await BackdateAccountsAsync();
            foreach (var buyer in fresh)
            {
                var balance = DemoData.StartingBalances.First(s => s.Email == buyer.Email).Balance;
                // A balance from the day the account opened; today's funding in DemoData then finds it and adds nothing.
                await DemoCatalog.FundAsync(db, buyer.Id, balance, operatorId, buyer.CreatedAt.AddMinutes(10), ct);
            }
            // Only under a history written from the start: a demo shop seeded before the background existed is left as it is.
            // First, because its keys are sold as they are stocked and never lie available for the stories' purchases.
            if (fresh.Count == buyers.Length) await new Background(this, vault, hashPassword).WriteAsync();
            foreach (var story in _stories) story.Finish();
            await db.SaveChangesAsync(ct);
            await PostLedgerAsync();
            return fresh;
        }

        /// <summary>
        /// Accounts opened by this very start would be younger than their own orders. Staff and the VIP and
        /// reseller date from the shop's opening; buyer@ joined 25 days ago, so is still a new buyer (30 days)
        /// with a dedicated agent.
        /// </summary>
        private async Task BackdateAccountsAsync()
        {
            var opened = now - ShopAge;
            foreach (var user in cast.Everyone)
            {
                var since = user.Email switch
                {
                    BuyerEmail => now.AddDays(-25),
                    VipEmail or ResellerEmail => opened.AddDays(1),
                    _ => opened,
                };
                if (user.CreatedAt > since) user.CreatedAt = since;
            }
            await db.SaveChangesAsync(ct);
        }

        /// <summary>
        /// Money moves in time order, wallet by wallet, so that each wallet's ledger reads as a statement (ids,
        /// times and balances after all in step) and ends at the wallet's balance. The wallets are saved first,
        /// then their lines copied in that order in one go: the background alone posts a thousand lines.
        /// </summary>
        private async Task PostLedgerAsync()
        {
            var lines = new List<LedgerEntry>();
            foreach (var posted in _postings.GroupBy(p => p.UserId))
            {
                var ordered = posted.OrderBy(p => p.At).ToList();
                var wallet = await db.LockOrCreateAsync(posted.Key, ordered[0].At, ct);
                lines.AddRange(ordered.Select(p => wallet.Post(p.Kind, p.Amount, p.Reference, p.At, p.Actor, p.Note)));
            }
            await db.SaveChangesAsync(ct);
            await DemoRows.CopyAsync(db, lines, ct);
        }

        public void Post(Guid userId, LedgerKind kind, decimal amount, string reference, DateTimeOffset at, Guid? actor, string? note) =>
            _postings.Add(new Posting(userId, kind, amount, reference, at, actor, note));

        /// <summary>Wall-clock time in Beijing on the shop day <paramref name="daysAgo"/> days before today (always in the past for daysAgo ≥ 1).</summary>
        public DateTimeOffset Day(int daysAgo, int hour, int minute) => ShopDay(now, daysAgo, hour, minute);

        /// <summary>The settled top-up and its ledger line, for the caller to store.</summary>
        public TopUp PaidTopUp(ShopUser buyer, decimal amount, DateTimeOffset at)
        {
            var topUp = new TopUp(OrderNumbers.NewTopUpNo(at), buyer.Id, amount, "sandbox", at, TimeSpan.FromMinutes(30));
            var paidAt = at.AddMinutes(1);
            topUp.MarkPaid("DEMO-" + topUp.No, paidAt);
            Post(buyer.Id, LedgerKind.TopUp, amount, topUp.No, paidAt, null, null);
            return topUp;
        }

        public async Task<CardKey> TakeFreshKeyAsync(Guid productId, DateTimeOffset at)
        {
            var key = (await db.TakeAvailableAsync(productId, 1, at, ct)).FirstOrDefault()
                ?? throw new InvalidOperationException("The demo history ran out of keys for a replacement.");
            _keys[key.Id] = key;
            return key;
        }

        public CardKey KeyOf(OrderItem item) => _keys[item.CardKeyId];

        /// <summary>A key the background sold straight from a batch of its own, so its tickets find the key and its supplier.</summary>
        public void Track(CardKey key, Guid supplierId)
        {
            _keys[key.Id] = key;
            _batchSuppliers[key.BatchId] = supplierId;
        }

        public Guid SupplierOf(OrderItem item) => _batchSuppliers[KeyOf(item).BatchId];

        public Story FileTicket(ShopUser buyer, Order? order, IReadOnlyList<OrderItem> items, TicketCategory category, string description, string? device,
            DateTimeOffset at, ShopUser? assignee, bool bulk = false)
        {
            // As CreateTicket and FileBulkTicket: resellers start at High, everybody else at Normal.
            var priority = buyer.Tier == MemberTier.Reseller ? TicketPriority.High : TicketPriority.Normal;
            var ticket = new Ticket(OrderNumbers.NewTicketNo(at), buyer.Id, bulk ? null : order!.Id, category, priority, description, device,
                "web", bulk, _sla[priority], at);
            var story = new Story(this, ticket, buyer, order, items, at);
            _stories.Add(story);
            return story.Filed(assignee);
        }
    }
}
