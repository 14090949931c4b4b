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
/// Everything is written the way the use cases write it (the same domain methods, events and ledger
/// lines), replayed at past times, so the data is coherent: wallets equal their ledgers, keys are sold
/// once, due times come from the seeded SLA policies and move with every pause. The SLA watcher is
/// replayed alongside each story, so warnings, breaches, check-ins and auto-closes that would already
/// have happened are on record, and the first real watcher pass finds nothing left to do.
/// </para>
/// Seeded once: staff who already have a profile, a desk that already has templates, and a buyer who
/// already has orders or tickets are left alone. All of it happens in one transaction.
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

    public static async Task SeedAsync(CardMallDbContext db, AfterSalesOptions rules, ICardKeyVault vault, Func<ShopUser, string> hashPassword,
        Guid operatorId, DateTimeOffset now, CancellationToken ct)
    {
        // The context retries transient failures, so an explicit transaction runs inside its strategy.
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var cast = await Cast.LoadAsync(db, ct);
            if (cast is null) return;
            await SeedDeskAsync(db, now, ct);
            await SeedTemplatesAsync(db, cast.Supervisor.Id, now - ShopAge, ct);
            await new History(db, cast, rules, vault, hashPassword, operatorId, now, ct).WriteAsync();
            await tx.CommitAsync(ct);
        });
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
        foreach (var (title, category, zh, en) in Templates)
            db.ReplyTemplates.Add(new ReplyTemplate(title, category, zh, en, supervisorId, at));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The demo accounts the history needs; null when one is missing (nothing is written then).</summary>
    private sealed record Cast(ShopUser Buyer, ShopUser Vip, ShopUser Reseller, ShopUser Agent, ShopUser Agent2, ShopUser Agent3,
        ShopUser Supervisor, IReadOnlyList<ShopUser> Everyone)
    {
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

        public async Task WriteAsync()
        {
            _sla = await db.SlaPolicies.AsNoTracking().ToDictionaryAsync(p => p.Priority, p => p.Targets, ct);
            _products = await db.Products.AsNoTracking().ToDictionaryAsync(p => p.Sku, ct);
            _batchSuppliers = await db.KeyBatches.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.SupplierId, ct);
            string[] skus = ["WOW-60", "NETEASE-100", "GENSHIN-648", "STEAM-WALLET-100", "WIN11-PRO", "IQIYI-VIP-M", "QQMUSIC-GREEN-Y"];
            if (_sla.Count < Enum.GetValues<TicketPriority>().Length || skus.Any(s => !_products.ContainsKey(s))) return;

            (ShopUser Buyer, Func<Task> Write)[] buyers = [(cast.Buyer, XiaomingAsync), (cast.Vip, XiaohongAsync), (cast.Reseller, XingheAsync)];
            var fresh = new List<(ShopUser Buyer, Func<Task> Write)>();
            foreach (var b in buyers)
            {
                var id = b.Buyer.Id;
                if (!await db.Orders.AnyAsync(o => o.UserId == id, ct) && !await db.Tickets.AnyAsync(t => t.BuyerId == id, ct)) fresh.Add(b);
            }
            if (fresh.Count == 0) return;

            await BackdateAccountsAsync();
            foreach (var (buyer, _) in fresh)
            {
                var balance = DemoData.StartingBalances.First(s => s.Email == buyer.Email).Balance;
                // A balance from the day the account opened; today's funding in DemoData then finds it and adds nothing.
                await DemoCatalog.FundAsync(db, buyer.Id, balance, operatorId, buyer.CreatedAt.AddMinutes(10), ct);
            }
            // Only under a history written from the start: a demo shop seeded before the background existed is left as it is.
            // First, because its keys are sold as they are stocked and never lie available for the stories' purchases.
            if (fresh.Count == buyers.Length) await new Background(this, vault, hashPassword).WriteAsync();
            foreach (var (_, write) in fresh) await write();
            foreach (var story in _stories) story.Finish();
            await db.SaveChangesAsync(ct);
            await PostLedgerAsync();
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
        public DateTimeOffset Day(int daysAgo, int hour, int minute)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, ShopTime.Zone).Date);
            var local = today.AddDays(-daysAgo).ToDateTime(new TimeOnly(hour, minute));
            return new DateTimeOffset(local, ShopTime.Zone.GetUtcOffset(local)).ToUniversalTime();
        }

        private DateTimeOffset Ago(int hours, int minutes = 0) => now - new TimeSpan(hours, minutes, 0);

        /// <summary>A purchase as PlaceOrder makes it: tier price, keys taken from stock, sold, and paid through the ledger.</summary>
        private async Task<Order> BuyAsync(ShopUser buyer, string sku, int quantity, DateTimeOffset at, string channel = "web", bool revealed = true)
        {
            var product = _products[sku];
            var keys = await db.TakeAvailableAsync(product.Id, quantity, at, ct);
            if (keys.Count < quantity) throw new InvalidOperationException($"The demo history needs {quantity} keys of {sku}.");
            var unitPrice = product.PriceFor(buyer.Tier);
            var order = new Order(OrderNumbers.NewOrderNo(at), buyer.Id, product.Id, quantity, unitPrice, buyer.Tier, product.NoticesVersion,
                null, null, channel, at);
            foreach (var key in keys)
            {
                db.CardKeyEvents.Add(key.Sell(order.Id, buyer.Id, at));
                order.Items.Add(new OrderItem(order.Id, key.Id, at));
                _keys[key.Id] = key;
                // The API hands the keys over with the order; on the web the buyer opens them a little later.
                if (revealed)
                    db.CardKeyEvents.Add(CardKeyEvent.Record(key.Id, CardKeyEventKind.Revealed, channel == "api" ? at : at.AddMinutes(2), buyer.Id,
                        "channel:" + channel, orderId: order.Id));
            }
            db.Orders.Add(order);
            Post(buyer.Id, LedgerKind.Purchase, -order.Total, order.No, at, null, null);
            // Saved at once: the next purchase or replacement must find these keys sold.
            await db.SaveChangesAsync(ct);
            return order;
        }

        /// <summary>
        /// A top-up through the sandbox gateway, as SettleTopUp credits it once paid. (The sandbox's own payment
        /// row lives in the web project; the demo top-up is already settled, so nothing looks for it.)
        /// </summary>
        private void TopUp(ShopUser buyer, decimal amount, DateTimeOffset at) => db.TopUps.Add(PaidTopUp(buyer, amount, at));

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

        // ---- 小明 (buyer@): a new buyer with 客服小李 as dedicated agent ----

        private async Task XiaomingAsync()
        {
            var (me, li) = (cast.Buyer, cast.Agent);
            var wow = await BuyAsync(me, "WOW-60", 1, Day(20, 19, 50));
            var steam = await BuyAsync(me, "STEAM-WALLET-100", 1, Day(12, 12, 40));
            TopUp(me, 200m, Day(3, 9, 20));
            var windows = await BuyAsync(me, "WIN11-PRO", 1, Day(3, 9, 30));
            var iqiyi = await BuyAsync(me, "IQIYI-VIP-M", 1, Ago(0, 50), revealed: false);

            // A faulty game card, replaced within the half hour; rated 5.
            db.DedicatedAgents.Add(new DedicatedAgent(me.Id, li.Id, Day(20, 20, 15)));
            var t1 = FileTicket(me, wow, wow.Items, TicketCategory.KeyInvalid,
                "点卡充值时一直提示“卡号或密码错误”。我是用复制按钮复制的，没有多余的空格，试了三次都不行。", "Windows 11 · Chrome",
                Day(20, 20, 15), li);
            t1.Reply(li, "小明您好，充值一直不成功，一定很着急吧，辛苦您了！我已经看到您的订单，正在帮您核实这张魔兽点卡的状态，请稍等几分钟，核实完马上告诉您结果。",
                    Day(20, 20, 32))
                .Note(li, "查了卡密记录：发货后只有买家查看过一次，同批次的其他卡都能正常充值，判断是单张坏卡，直接换新卡。", Day(20, 20, 40));
            var fresh = await t1.ReplaceAsync(li, wow.Items[0], Day(20, 20, 46));
            t1.Reply(li, "核实好了：这张点卡本身有问题，不是您操作的原因，给您添麻烦了。我已经为您换了一张新的点卡，刷新订单页就能看到，原来那张已经作废。用复制按钮分别复制卡号和密码再充值就可以了，有问题随时告诉我。",
                    Day(20, 20, 47))
                .Resolve(li, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced, Day(20, 20, 48))
                .Reveal(fresh, Day(20, 20, 55))
                .Confirm(Day(20, 21, 6))
                .Rate(5, "换卡很快，新卡马上就充上了，谢谢小李！", Day(20, 21, 7));

            // The wrong region: refused by the refund rules, explained with alternatives; rated 2 → follow-up open.
            FileTicket(me, steam, steam.Items, TicketCategory.WrongRegion,
                    "兑换的时候 Steam 提示“此产品在您所在的国家/地区不可用”，钱没有到账。", "Steam 客户端 · Windows", Day(12, 13, 20), li)
                .Reply(li, "小明您好，兑换不成功让您白忙一场，真是抱歉。这个提示一般是 Steam 账号的地区和充值码不一致造成的：这张充值码只能用在人民币区（中国大陆）的 Steam 账号上。麻烦您在 Steam 里打开“账户明细”，看一下“国家/地区”写的是哪里，截个图发给我，我帮您确认下一步怎么做。",
                    Day(12, 13, 48), TicketStatus.WaitingOnBuyer)
                .BuyerSays("看了，我的账号是香港区的。那这个码我是不是用不了了？能退款吗？", Day(12, 19, 5))
                .Note(li, "已核验：充值码未被兑换，状态正常。购买须知写明仅限人民币区账户，按退款规则不属于可退情形。已和主管老王确认按规则处理，同时给出可行的替代办法。",
                    Day(12, 19, 20))
                .Resolve(li, Responsibility.Buyer, RootCause.RegionMismatch, TicketResolution.Rejected, Day(12, 19, 31),
                    closing: "给您两个可行的办法：① 请有人民币区 Steam 账号的家人或朋友兑换后，把游戏作为礼物送给您；② 这张码长期有效，以后您有人民币区账号时随时可以用。需要的话我可以一步步教您操作。",
                    reason: "很理解您想退款的心情。我们核实了这张充值码，它是完好可用的，只是不适用于香港区的账号；商品页的购买须知里也写明了“仅限人民币区账户”。按照退款规则，这种情况没办法退款，真的很抱歉。")
                .Rate(2, "规则我明白，但买之前真没注意到区服，希望商品页能写得更醒目一些。", Day(11, 20, 10));

            // Activation trouble, worked through step by step; now waiting for the buyer's result.
            FileTicket(me, windows, windows.Items, TicketCategory.ActivationFailed,
                    "输入激活码后提示“无法激活 Windows，错误代码 0xC004F050”。", "Windows 10 家庭版 · 联想笔记本", Day(3, 10, 5), li)
                .Reply(li, "小明您好，激活不上确实挺让人头疼的，别担心，我们一起把它弄好。0xC004F050 通常是因为电脑上装的是 Windows 家庭版，而这张是专业版激活码。请按下面做：\n1. 打开“设置 → 系统 → 激活”；\n2. 点击“更改产品密钥”；\n3. 粘贴这张专业版激活码，系统会先升级到专业版再自动激活（升级时电脑会重启一两次，记得先保存文件）。\n如果还是不行，请把报错页面截图发给我。",
                    Day(3, 10, 38), TicketStatus.WaitingOnBuyer)
                .BuyerSays("按步骤操作了，已经升级成专业版，但是激活时又提示 0xC004C003。", Day(2, 21, 0))
                .Reply(li, "收到，谢谢您这么配合！0xC004C003 说明激活服务器暂时还没认这张码，刚升级完系统经常这样。请您：\n1. 确认电脑已经连网；\n2. 重启一次电脑；\n3. 再到“设置 → 系统 → 激活”点“疑难解答”。\n做完告诉我结果；如果仍然报错，请截一张激活页面的图，我马上帮您换码或者进一步处理。",
                    Day(1, 9, 26), TicketStatus.WaitingOnBuyer);

            // Just filed: cannot find the key (it is on the order page). Assigned, not answered yet.
            FileTicket(me, iqiyi, iqiyi.Items, TicketCategory.NotReceived,
                "付款成功了，但是我在订单里没看到会员卡密，邮箱也没收到，是不是没发货？", "iPhone · Safari", Ago(0, 25), li);
        }

        // ---- VIP 小红 (vip@): a regular customer for a month ----

        private async Task XiaohongAsync()
        {
            var (me, li, lin, zhou, wang) = (cast.Vip, cast.Agent, cast.Agent2, cast.Agent3, cast.Supervisor);
            var genshin = await BuyAsync(me, "GENSHIN-648", 1, Day(18, 20, 30));
            var qqMusic = await BuyAsync(me, "QQMUSIC-GREEN-Y", 1, Day(15, 11, 0));
            var iqiyi = await BuyAsync(me, "IQIYI-VIP-M", 3, Day(6, 9, 20));
            var wow = await BuyAsync(me, "WOW-60", 2, Day(3, 21, 0));
            var windows = await BuyAsync(me, "WIN11-PRO", 1, Day(2, 14, 0));
            var netease = await BuyAsync(me, "NETEASE-100", 1, Day(1, 10, 0));
            var steam = await BuyAsync(me, "STEAM-WALLET-100", 2, Day(1, 15, 10));

            // Used before delivery: the supplier confirms, ¥612 is above the agent's limit, the supervisor approves.
            FileTicket(me, genshin, genshin.Items, TicketCategory.KeyAlreadyUsed,
                    "刚买的创世结晶兑换码，在官网兑换时提示“兑换码已被使用”。我是第一次打开这个码，肯定没用过。", "Android · 原神官网", Day(18, 20, 52), lin)
                .Reply(lin, "小红您好，刚买的码就提示已被使用，换谁都会着急，非常理解！我查到这个兑换码在您查看之前没有任何异常记录，已经第一时间请供应商核查兑换记录，一般 24 小时内有结果。我会一直跟进，结果出来马上通知您。",
                    Day(18, 21, 10))
                .Escalate(lin, $"订单 {genshin.No} 的原神 6480 兑换码，买家首次查看即提示已被使用。请提供该码的兑换时间与兑换账号（脱敏）。", Day(18, 21, 12))
                .SupplierAnswers(lin, "经查，该兑换码在发货前约 2 小时已被兑换（非本店买家账号），属供应商出库问题，同意全额退款，费用由供应商承担。", Day(17, 10, 30))
                .Note(lin, "供应商确认交付前已被兑换，责任在供应商。612 元超出我的退款权限，已提交主管审批。", Day(17, 10, 36))
                .RequestRefund(lin, genshin.Total, "兑换码在交付前已被使用（供应商确认），全额退款", Day(17, 10, 38))
                .Reply(lin, "小红，供应商已经确认：这个兑换码在发货前就被别人用掉了，完全不是您的问题，真的很抱歉让您遇到这种事。我已经为您申请全额退款 612 元，主管审批后会退回到您的 CardMall 钱包，到账后我再告诉您。",
                    Day(17, 10, 40))
                .Approve(wang, Day(17, 11, 5))
                .Reply(lin, "退款 612 元已经到账，可以在“钱包”的收支明细里看到。再次为这次的不愉快向您道歉，以后有任何问题随时找我们。", Day(17, 11, 8))
                .Resolve(lin, Responsibility.Supplier, RootCause.KeyUsedBeforeDelivery, TicketResolution.Refunded, Day(17, 11, 9))
                .Rate(4, "退款挺快的，就是等供应商回复等了一晚上。", Day(17, 12, 30));

            // The account, not the key: guidance from the account specialist (now off duty); rated 3.
            FileTicket(me, qqMusic, qqMusic.Items, TicketCategory.AccountAbnormal,
                    "用你们的绿钻卡充值后，QQ 音乐提示“账号存在异常，已限制部分功能”，是不是卡有问题？", "iPhone · QQ音乐 App", Day(15, 11, 40), zhou)
                .Reply(zhou, "小红您好，充完值账号反而被限制，肯定很担心，先别着急。我查了这张绿钻卡的记录：已经成功兑换到您的账号，卡本身没有问题。“账号异常”一般是 QQ 音乐的安全保护，常见于换了手机或异地登录。您可以：\n1. 打开 QQ 音乐 → 设置 → 帮助与反馈 → 账号申诉；\n2. 按提示验证手机号，一般 1–2 小时就能解除。\n绿钻的时长不会受影响。",
                    Day(15, 12, 10), TicketStatus.WaitingOnBuyer)
                .BuyerSays("申诉通过了，账号恢复了，绿钻也还在。", Day(15, 15, 20))
                .Resolve(zhou, Responsibility.Buyer, RootCause.Other, TicketResolution.GuidanceGiven, Day(15, 15, 35),
                    closing: "太好了，恢复了就放心了！以后再遇到类似提示，按同样的方法申诉就可以。祝您听歌愉快～")
                .Confirm(Day(15, 16, 0))
                .Rate(3, "问题解决了，不过一开始以为是卡的问题，白担心了半天。", Day(15, 16, 1));

            // A question, not a fault: lowered to Low, answered, checked in on and closed by itself.
            FileTicket(me, iqiyi, iqiyi.Items, TicketCategory.Other,
                    "买了三张爱奇艺月卡，想问下能不能连续叠加成三个月？会不会互相覆盖？", "Android · 爱奇艺 App", Day(6, 9, 45), li)
                .Triage(li, TicketPriority.Low, Day(6, 10, 20))
                .Reply(li, "小红您好，感谢您一次买了三张！可以放心叠加：三张月卡依次兑换到同一个爱奇艺账号，会员时间会自动顺延成三个月，不会互相覆盖。兑换入口在爱奇艺 App →“我的”→“兑换会员”。还有其他问题随时问我～",
                    Day(6, 10, 22))
                .Resolve(li, Responsibility.Merchant, RootCause.Other, TicketResolution.GuidanceGiven, Day(6, 10, 23));

            // A blocked key the buyer wants refunded: ¥189 is within the agent's limit, paid at once.
            FileTicket(me, windows, windows.Items, TicketCategory.RefundRequest,
                    "激活码输入后提示“此产品密钥已被阻止”，我不想再折腾了，希望直接退款。", "Windows 11 专业版 · 台式机", Day(2, 14, 30), li)
                .Reply(li, "小红您好，刚装好系统就遇到激活问题，真是扫兴，抱歉让您遇到这种情况。我查了这张激活码：发货后只有您查看过一次，提示“已被阻止”说明是码本身的问题，不是您操作的原因。您希望直接退款，我这边马上为您办理。",
                    Day(2, 14, 55))
                .Refund(li, windows.Total, "激活码被微软阻止，买家选择退款", Day(2, 15, 0))
                .Resolve(li, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Refunded, Day(2, 15, 2),
                    closing: "189 元已经退回您的 CardMall 钱包，可以在“钱包”里查看。给您添麻烦了，再次抱歉！");

            // The wrong Battle.net region, sorted out the same evening; rated 5, still resolved.
            FileTicket(me, wow, [wow.Items[0]], TicketCategory.WrongRegion,
                    "点卡充值时提示“该卡不适用于当前区域”，卡号密码我确定都没输错。", "Windows · Edge", Ago(22), lin)
                .Reply(lin, "小红您好，遇到这种提示别担心，卡是好的！“不适用于当前区域”说明当前登录的不是国服战网账号。这张点卡只能充值中国大陆（国服）的战网账号，麻烦您退出后用国服账号登录再充值，没充值成功的点卡不受影响。",
                    Ago(21, 30), TicketStatus.WaitingOnBuyer)
                .BuyerSays("原来是登成了亚服的号，换国服账号已经充上了，谢谢！", Ago(21))
                .Resolve(lin, Responsibility.Buyer, RootCause.RegionMismatch, TicketResolution.GuidanceGiven, Ago(20, 50),
                    closing: "充上就好！另一张点卡也按同样的方法使用就可以，有问题随时找我们～")
                .Rate(5, "回复很快，讲得很清楚。", Ago(20, 40));

            // The account was locked after a top-up: the supervisor takes it over himself.
            FileTicket(me, wow, [wow.Items[1]], TicketCategory.AccountAbnormal,
                    "用第二张点卡充值后，战网提示账号存在风险被临时锁定，要我验证身份。这跟点卡有关系吗？我有点担心账号安全。", "Windows · Edge", Ago(3), li)
                .Note(li, "涉及账号安全，已请主管老王接手。", Ago(2, 45))
                .Reassign(wang, wang, Ago(2, 30))
                .Reply(wang, "小红您好，账号突然被锁，换谁都会担心。我是客服主管老王，这个问题由我亲自跟进。先请您放心：点卡充值本身不会导致盗号，点卡余额也不会丢。战网在发现新设备或异地登录时会临时锁定账号作为保护。请您先按战网页面的提示完成身份验证（手机短信就可以），然后修改一次密码。做完告诉我，我帮您确认点卡余额是否已经到账。",
                    Ago(2, 20));

            // Asked about an invoice overnight; nobody answered in time: breached, unassigned, urged.
            FileTicket(me, netease, netease.Items, TicketCategory.Other,
                    "请问网易一卡通可以开发票吗？公司报销需要，抬头和税号我可以提供。", null, Ago(9), null)
                .Urge(Ago(3));

            // One of two Steam codes does not work: waiting on the supplier, within its due time.
            FileTicket(me, steam, [steam.Items[1]], TicketCategory.KeyInvalid,
                    "两张 Steam 充值码里，第二张兑换时提示“您输入的代码无效”，第一张是好的。", "Steam 客户端 · macOS", Ago(7), lin)
                .Reply(lin, "小红您好，一张能用一张不能用，确实让人闹心，辛苦您了。这张充值码在我们这边的记录是正常发货、只被您查看过一次，现在正请供应商核查它的状态，一般 24 小时内有结果。这期间您不用做任何操作，有结果我第一时间通知您。",
                    Ago(6, 35))
                .Escalate(lin, $"订单 {steam.No} 的 Steam 充值码（第二张）兑换提示“代码无效”，请核查该码状态。", Ago(6, 30));

        }

        // ---- 星河代理 (reseller@): buys in bulk, mostly through the API ----

        private async Task XingheAsync()
        {
            var (me, li, lin, zhou, wang) = (cast.Reseller, cast.Agent, cast.Agent2, cast.Agent3, cast.Supervisor);
            var wow = await BuyAsync(me, "WOW-60", 5, Day(14, 9, 0), "api");
            var genshin = await BuyAsync(me, "GENSHIN-648", 2, Day(8, 16, 0), "api");
            var netease = await BuyAsync(me, "NETEASE-100", 10, Day(5, 10, 0), "api");
            var iqiyi = await BuyAsync(me, "IQIYI-VIP-M", 10, Day(4, 10, 0), "api");
            var steam = await BuyAsync(me, "STEAM-WALLET-100", 5, Day(3, 11, 20));

            // Filed before anybody was on duty: the first response came late (breached); rated 1, followed up.
            FileTicket(me, wow, [wow.Items[0], wow.Items[1]], TicketCategory.ActivationFailed,
                    "批量充值时有 2 张点卡提示“充值失败，请稍后再试”，客户那边急着用。", null, Day(14, 9, 10), null)
                .Claim(li, Day(14, 11, 35))
                .Reply(li, "星河代理您好，非常抱歉让您等了这么久才回复，耽误您给客户发货了。“充值失败，请稍后再试”一般是战网充值页面繁忙，不是卡的问题。我查了这两张点卡，都还没有被使用，请您的客户隔十分钟左右再充一次。",
                    Day(14, 11, 40))
                .BuyerSays("客户说过了一会儿再充就成功了。", Day(14, 13, 5))
                .Resolve(li, Responsibility.Supplier, RootCause.Other, TicketResolution.GuidanceGiven, Day(14, 13, 15),
                    closing: "两张都充上就好，再次为回复慢向您道歉！")
                .Rate(1, "卡是没问题，但是两个多小时才有人回复，我们做代理的等不起。", Day(14, 13, 40))
                .FollowUpDone(wang, "已电话回访：代理商主要不满首次响应太慢。已说明当天早班人手不足，早班排班已调整，代理商表示理解。", Day(14, 16, 30))
                .Note(wang, "低分回访已完成，详见回访任务备注。", Day(14, 16, 31));

            // "Already used": the supplier shows a normal top-up two days after delivery; rejected with the reason.
            FileTicket(me, wow, [wow.Items[2]], TicketCategory.KeyAlreadyUsed,
                    "有一张魔兽点卡，客户说充值时显示“该卡已被使用”。", null, Day(10, 15, 0), zhou)
                .Reply(zhou, "星河代理您好，客户反馈卡已被使用，您夹在中间一定很为难。我先帮您查清楚这张卡的使用记录，请稍等。", Day(10, 15, 25))
                .Escalate(zhou, $"订单 {wow.No} 中一张魔兽点卡，下游客户称已被使用。请提供该卡的充值时间与充值账号（脱敏）。", Day(10, 15, 30))
                .SupplierAnswers(zhou, "该卡于发货后第 2 天充值到国服账号（尾号 8821），充值 IP 位于广东，过程无异常。", Day(10, 21, 10))
                .Note(zhou, "代理商 API 在发货时即拉取了该卡，充值发生在发货两天后，属于正常使用。按规则驳回。", Day(10, 21, 20))
                .Resolve(zhou, Responsibility.Buyer, RootCause.UserError, TicketResolution.Rejected, Day(10, 21, 25),
                    closing: "建议您和客户核对一下尾号 8821 的战网账号是不是他的其他账号或家人的账号。如果有新的线索，随时在工单里告诉我们。",
                    reason: "我们和供应商一起核查了：这张点卡在发货两天后被充值到了一个国服战网账号（尾号 8821），充值过程没有异常，说明卡是正常可用并且已经被使用的，所以这次没办法补发或退款，请您理解。");

            // One "used" code out of two: above the agent's limit, the refund waits for approval; breached, urged twice.
            FileTicket(me, genshin, [genshin.Items[0]], TicketCategory.KeyAlreadyUsed,
                    "两张原神兑换码有一张提示“已被使用”，这张我们还没发给客户，确定没人用过。", null, Ago(30), lin)
                .Reply(lin, "星河代理您好，还没发出去的码就提示已被使用，确实很蹊跷，您先别担心，我们来查。我已经调取了这张码的发放记录，正在核实，有结论马上告诉您。",
                    Ago(29, 40))
                .Note(lin, "核查：该码发货后 3 小时内被兑换，期间只有代理商 API 拉取过一次，兑换账号与代理商无关联。可能是代理商系统侧泄露，也可能是供应商问题，需要主管判断。先按全额提交退款申请。",
                    Ago(29, 20))
                .RequestRefund(lin, genshin.UnitPrice, "兑换码被他人兑换，责任待主管判定，申请退还一张的货款", Ago(29))
                .Reply(lin, "已经为您提交了退款申请。金额较大，需要主管审批，审批通过后会退回到您的 CardMall 钱包，请您稍等。", Ago(28, 55))
                .Urge(Ago(8))
                .Urge(Ago(5))
                .BuyerSays("退款审批到哪一步了？已经一天了。", Ago(4, 58));

            // A bulk ticket for five keys from two orders: answered, being checked, warned about its due time.
            FileTicket(me, null, [netease.Items[0], netease.Items[1], netease.Items[2], wow.Items[3], wow.Items[4]], TicketCategory.KeyInvalid,
                    "下游客户反馈以下 5 张卡充值失败（提示“卡号或密码错误”）：网易一卡通 3 张、魔兽世界点卡 2 张，清单已粘贴提交，请帮忙统一核查。", null,
                    Ago(20), lin, bulk: true)
                .Reply(lin, "星河代理您好，一次 5 张出问题，您这边肯定很难跟客户交代，辛苦了。清单已经收到，5 张都已匹配到您的订单，我正在逐张核查使用记录，今天之内给您结果。",
                    Ago(19, 35))
                .Note(lin, "网易 3 张同属一个批次，发货后没有异常查看记录；魔兽 2 张来自 14 天前的订单。先抽查网易同批次其他卡，怀疑是下游客户把卡号和密码填反了。",
                    Ago(19, 20));

            // An invalid Steam code, escalated; the supplier is late and the ticket breached while waiting.
            FileTicket(me, steam, [steam.Items[0]], TicketCategory.KeyInvalid,
                    "一张 Steam 充值码兑换提示“代码无效”，客户已经在投诉了。", null, Ago(32), lin)
                .Reply(lin, "星河代理您好，让您在客户那里为难了，非常抱歉。这张充值码我们这边的记录一切正常，我已经提交供应商核查，有结果第一时间告诉您。",
                    Ago(31, 40))
                .Escalate(lin, $"订单 {steam.No} 中一张 Steam 充值码兑换提示“代码无效”，请核查状态。代理商的客户在投诉，请优先处理。", Ago(31, 35))
                .Urge(Ago(10))
                .Note(lin, "供应商工单已超时未回复，已电话催供应商对接人，对方答应今天内给结果。如果今晚还没有回复，直接从库存换一张给代理。", Ago(6))
                .Reply(lin, "很抱歉让您久等了！供应商还没有给出结果，我已经电话催促，今天之内一定给您答复；如果供应商迟迟不回，我们会直接给您换一张新码，不会让您的客户一直等。",
                    Ago(5, 55));

            // A single bad membership code, replaced at once; resolved a few hours ago.
            var t17 = FileTicket(me, iqiyi, [iqiyi.Items[0]], TicketCategory.KeyInvalid,
                    "批量发给客户的爱奇艺月卡，有一张客户反馈兑换提示“激活码无效”，麻烦尽快处理，客户在催。", null, Ago(5), lin)
                .Reply(lin, "星河代理您好，客户在催，您这边压力一定不小，我们马上处理。我查了这张月卡：发货后状态正常，同批次的其他卡都已正常兑换，判断是单张坏卡，我直接给您换一张新的。",
                    Ago(4, 40));
            await t17.ReplaceAsync(lin, iqiyi.Items[0], Ago(4, 38));
            t17.Resolve(lin, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced, Ago(4, 37),
                closing: $"新卡已经放到订单 {iqiyi.No} 里了，刷新订单页就能看到，旧卡已经作废。麻烦转给您的客户再试一次，有问题随时找我。");

            // A region question waiting on the reseller; its agent went off duty, the supervisor handed it on.
            FileTicket(me, netease, [netease.Items[5]], TicketCategory.WrongRegion,
                    "海外客户充值网易一卡通，页面提示“当前地区暂不支持充值”。", null, Ago(28), zhou)
                .Reply(zhou, "星河代理您好，海外的客户用不了确实麻烦，我们帮您看看。网易一卡通只支持中国大陆的网易账号充值，用海外网络打开充值页面时也会被拦截。麻烦问一下：客户的网易账号是国服的吗？充值时是否开着海外网络？方便的话请发一张报错页面的截图。",
                    Ago(27, 30), TicketStatus.WaitingOnBuyer)
                .Reassign(wang, lin, Ago(9))
                .Note(wang, "小周今天休息，转给小林跟进。", Ago(9));

            // Just filed, nobody has taken it yet.
            FileTicket(me, netease, [netease.Items[3], netease.Items[4]], TicketCategory.RefundRequest,
                "这批网易一卡通有 2 张客户退单了，卡密还没发给客户，能不能把这 2 张退掉？", null, Ago(0, 15), null);

        }
    }

    /// <summary>
    /// One ticket told step by step, each step as its use case writes it. Before every step (and at the
    /// end) the SLA watcher's pass is replayed up to that moment, so its marks land at the times it would
    /// have made them.
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

        public Story Claim(ShopUser agent, DateTimeOffset at)
        {
            Advance(at);
            Assign(agent, agent, at);
            return this;
        }

        public Story Reassign(ShopUser supervisor, ShopUser to, DateTimeOffset at)
        {
            Advance(at);
            Assign(supervisor, to, at);
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

    /// <summary>
    /// The desk's starting templates: an empathetic opening first (先共情后解决), then what happens next in
    /// plain words. Placeholders are filled on the ticket page before the agent edits and sends.
    /// </summary>
    private static readonly (string Title, TicketCategory? Category, string Zh, string En)[] Templates =
    [
        ("卡密无效：正在核实 · Key invalid: checking", TicketCategory.KeyInvalid,
            """
            {buyer}您好，卡密用不了一定让您很着急，先跟您说声抱歉！

            我已经看到您订单 {orderNo} 里的这张卡密（{maskedKey}），正在和供应商一起核实它的状态，{dueAt} 之前一定给您结果，这期间您不需要做任何操作。核实后如果确实是卡的问题，我们会直接为您换一张新的或者退款。

            有任何新情况，随时在这里告诉我。
            """,
            """
            Hello {buyer}, a key that will not work is frustrating, and I am sorry you ran into this.

            I can see the key {maskedKey} on your order {orderNo}, and I am checking its status with the supplier now. You will have an answer by {dueAt}; there is nothing you need to do in the meantime. If the key turns out to be faulty, we will replace it or refund it straight away.

            If anything changes on your side, just reply here.
            """),
        ("卡密已被使用：请先核对账号 · Key already used: check the account", TicketCategory.KeyAlreadyUsed,
            """
            {buyer}您好，看到“已被使用”的提示，换谁都会担心，您先别着急，我们一起查清楚。

            请您先帮忙确认两件事：
            1. 在充值平台的“充值记录”里看看，是不是之前已经充值成功过；
            2. 家人或朋友有没有用您的账号充过值。

            如果都没有，请回复一张报错页面的截图。我们会调出这张卡密（{maskedKey}）的发放和使用记录，同时请供应商核查，{dueAt} 之前给您明确的答复。
            """,
            """
            Hello {buyer}, seeing "already used" is worrying. Please don't worry: we will get to the bottom of it together.

            Could you first check two things:
            1. the top-up history of your account, in case the top-up did go through earlier;
            2. whether family or friends may have used your account to top up.

            If neither is the case, please reply with a screenshot of the error. We will look up how the key {maskedKey} was delivered and used, ask the supplier to check as well, and give you a clear answer by {dueAt}.
            """),
        ("激活失败：分步指引 · Activation failed: step by step", TicketCategory.ActivationFailed,
            """
            {buyer}您好，激活不成功确实让人头疼，别担心，我们一步一步来。

            1. 打开订单 {orderNo}，用“复制”按钮复制卡密（{maskedKey}），不要手动输入，以免把 0 和 O、1 和 I 看混；
            2. 确认登录的是要充值的账号，并且账号所在地区和商品页写的“适用地区”一致；
            3. 粘贴后提交。如果出现错误提示，请截图发给我。

            您做完后告诉我结果，如果还是不行，我马上帮您进一步处理。
            """,
            """
            Hello {buyer}, an activation that will not go through is a headache. Don't worry, let's go through it step by step.

            1. Open order {orderNo} and copy the key ({maskedKey}) with the Copy button rather than typing it, so 0 and O or 1 and I cannot get mixed up;
            2. Make sure you are signed in to the account you want to top up, and that its region matches the region on the product page;
            3. Paste the key and submit. If an error appears, please send me a screenshot.

            Let me know how it went. If it still does not work, I will take it further for you straight away.
            """),
        ("地区不符：换对应地区的账号 · Wrong region: use an account of that region", TicketCategory.WrongRegion,
            """
            {buyer}您好，兑换时提示地区不符，让您白忙一场，真是抱歉。

            这张卡密只能用在商品页写明的地区的账号上，出现这个提示，通常是因为当前登录的账号属于其他地区。卡密（{maskedKey}）还没有被使用，仍然有效：换成对应地区的账号登录后再兑换就可以了。

            如果不确定账号属于哪个地区，发一张账号信息页的截图给我，我帮您看。
            """,
            """
            Hello {buyer}, being told the region does not match after all that effort is annoying, and I am sorry about it.

            This key only works on accounts of the region named on the product page; the message usually means the account you are signed in to belongs to another region. The key ({maskedKey}) has not been used and is still valid: sign in with an account of the right region and redeem it again.

            If you are not sure which region your account is in, send me a screenshot of the account details page and I will check it for you.
            """),
        ("没收到卡密：在订单页查看 · Not received: where to find the key", TicketCategory.NotReceived,
            """
            {buyer}您好，付了钱却没看到卡密，着急是一定的，我来帮您找。

            卡密不会通过短信或邮件发送，而是放在订单页里：
            1. 点右上角的账户菜单 →“我的订单”；
            2. 打开订单 {orderNo}；
            3. 点卡密旁边的“查看卡密”，就能看到完整的卡密和复制按钮。

            如果按上面的步骤还是看不到，请截图发给我，我马上帮您处理。
            """,
            """
            Hello {buyer}, paying and then not seeing your key is worrying. Let me help you find it.

            Keys are not sent by text message or e-mail; they are on the order page:
            1. open the account menu at the top right → "My orders";
            2. open order {orderNo};
            3. press "Reveal key" next to the key to see the full key with a Copy button.

            If you still cannot see it after these steps, send me a screenshot and I will sort it out right away.
            """),
        ("已退款到钱包 · Refund issued to the wallet", TicketCategory.RefundRequest,
            """
            {buyer}您好，这次的问题给您添麻烦了，非常抱歉。

            订单 {orderNo} 的退款已经办好，钱退回到了您的 CardMall 钱包，可以在“钱包”的收支明细里看到这一笔，余额可以直接用于下次购买。

            如果还有其他需要，随时回复我。
            """,
            """
            Hello {buyer}, I am very sorry for the trouble this caused you.

            The refund for order {orderNo} is done: the money is back in your CardMall wallet, where you can see it in the wallet's statement, and you can spend it on your next purchase.

            If there is anything else you need, just reply here.
            """),
        ("已换新卡 · Replacement sent", null,
            """
            {buyer}您好，让您遇到了有问题的卡密，真的很抱歉。

            我们已经为订单 {orderNo} 换了一张新的卡密，刷新订单页就能看到；原来那张（{maskedKey}）已经作废，不用再试了。新卡请用“复制”按钮复制后使用。

            用好了告诉我一声，有问题我随时都在。
            """,
            """
            Hello {buyer}, I am really sorry you got a faulty key.

            We have put a new key on order {orderNo}; refresh the order page to see it. The old one ({maskedKey}) has been cancelled, so there is no need to try it again. Please copy the new key with the Copy button.

            Let me know once it works; I am here if anything goes wrong.
            """),
        ("需要补充信息（截图）· Need more information (screenshot)", null,
            """
            {buyer}您好，谢谢您耐心地描述问题。为了尽快帮您解决，还需要您补充一点信息：

            1. 报错页面的截图（能看到完整的提示文字就好）；
            2. 您使用的设备和充值的平台（例如：Windows 电脑上的 Steam 客户端）。

            直接在这里回复并添加图片就可以。收到后我会在 {dueAt} 之前给您答复。
            """,
            """
            Hello {buyer}, thank you for describing the problem so patiently. To solve it as quickly as possible, I need a little more information:

            1. a screenshot of the error (it is enough if the whole message can be read);
            2. the device you used and where you redeemed the key (for example: the Steam client on a Windows PC).

            Just reply here and add the picture. Once I have it, you will hear from me by {dueAt}.
            """),
        ("账号异常：先保护账号 · Account problem: secure the account first", TicketCategory.AccountAbnormal,
            """
            {buyer}您好，账号突然出现异常提示，担心是很正常的，我们陪您一起处理。

            先请您放心：用卡密充值本身不会导致账号被盗。平台在发现新设备、异地登录等情况时，会临时限制账号作为保护。建议您：
            1. 按平台页面的提示完成身份验证；
            2. 修改一次登录密码；
            3. 完成后告诉我，我帮您确认订单 {orderNo} 的充值是否已经到账。
            """,
            """
            Hello {buyer}, a warning about your account out of the blue is naturally worrying. We will work through it with you.

            First, rest assured: topping up with a key does not put your account at risk by itself. Platforms restrict an account for a while to protect it when they see a new device or a sign-in from another place. We suggest you:
            1. complete the identity check the platform asks for;
            2. change your password once;
            3. tell me when that is done, and I will check that the top-up from order {orderNo} has arrived.
            """),
        ("结束语：感谢与评价 · Closing: thanks and rating", null,
            """
            {buyer}您好，很高兴问题已经解决了！谢谢您的耐心和配合。

            这个工单我先标记为“已解决”。如果还有问题，7 天内直接在工单里回复就能重新打开，我们会继续跟进。也欢迎您给这次服务打个分，帮助我们做得更好。祝您使用愉快！
            """,
            """
            Hello {buyer}, I am glad the problem is solved! Thank you for your patience.

            I am marking this ticket as resolved. If anything else comes up, reply in the ticket within 7 days and it opens again; we will pick it up. We would also be grateful if you rated this help, so we can keep improving. Enjoy!
            """),
    ];
}
