using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using CardMall.Domain.Wallets;
using CardMall.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CardMall.Infrastructure.Seeding;

internal static partial class DemoTickets
{
    /// <summary>
    /// Two months of ordinary shop life under the stories, so that the operators' dashboard has something to
    /// count in its last 30 days and in the 30 before them: 76 everyday customers (most writing in Chinese, a
    /// few in English) and three small resellers buying through the API, whose orders grow from about nine
    /// a day to about fifteen, busier in the evenings and at weekends; wallets topped up before they are
    /// spent; and now and then a ticket — answered within the hour by day, the next morning by night, mostly
    /// resolved and rated well, a few refunded. One supplier stands out: about one in three of the Office keys
    /// from 华域软件授权 comes back, so the dashboard flags the product and the supplier for review
    /// (售后率持续偏高 → 排查供应商资质).
    /// <para>
    /// Its keys come from batches of its own, one per product, made as they are sold (replacements included),
    /// so each is sold out at the end and the shelves keep the stock levels the catalogue gave them. Tickets are
    /// written by the stories' own <see cref="Story"/>. A fixed seed makes every demo shop the same up to the
    /// weekdays; every time is a whole number of shop days back plus a time of day, tickets are filed only on
    /// orders at least <see cref="SettledDays"/> days old and the recent ones end with the buyer's confirmation,
    /// so nothing is left for the SLA watcher and two seedings a minute apart write the same rows.
    /// </para>
    /// </summary>
    private sealed class Background(History h, ICardKeyVault vault, Func<ShopUser, string> hashPassword)
    {
        /// <summary>Whole shop days of background before today (today belongs to the stories).</summary>
        private const int Days = 60;

        /// <summary>Tickets are filed on orders at least this many days old: each has run its course before the seed.</summary>
        private const int SettledDays = 6;

        /// <summary>Tickets on orders younger than this end with the buyer's confirmation, before the watcher would close them.</summary>
        private const int ConfirmedDays = 10;

        private const string MailDomain = "@example.com";
        private const string FlakySku = "OFFICE-2021";
        private const string FlakySupplierCode = "HUAYU-SOFT";

        /// <summary>The days on which the new supplier's Office keys were on sale: stocked a week after the opening, sold out yesterday.</summary>
        private const int FlakyFrom = 55;
        private const int FlakyUntil = 2;

        private static readonly string[] SoldOneAtATime = ["GENSHIN-648", FlakySku];

        /// <summary>What sells, for everyday customers and for resellers (relative weights).</summary>
        private static readonly (string Sku, double Shopper, double Reseller)[] Demand =
        [
            ("WOW-60", 14, 20), ("NETEASE-100", 11, 20), ("GENSHIN-648", 5, 5), ("STEAM-WALLET-100", 14, 15),
            ("WIN11-PRO", 6, 5), (FlakySku, 5, 0), ("IQIYI-VIP-M", 17, 25), ("QQMUSIC-GREEN-Y", 8, 10),
        ];

        /// <summary>When everyday customers buy, by hour in Beijing: a lunch bump and a long evening.</summary>
        private static readonly double[] ShopperHours =
            [3, 2, 1, 0.5, 0.3, 0.3, 0.8, 2, 3, 4, 5, 5, 7, 6, 5, 5, 5, 5, 6, 8, 10, 11, 9, 6];

        private static readonly int[] Hours = Enumerable.Range(0, 24).ToArray();

        /// <summary>The everyday customers: resellers first, then the ones there from the first week.</summary>
        private static readonly Profile[] Profiles =
        [
            new("云端数卡小铺", "yunduan.shop", MemberTier.Reseller), new("乐享游戏充值", "lexiang.games", MemberTier.Reseller),
            new("Lucky Games Store", "lucky.games", MemberTier.Reseller, English: true),
            new("王芳", "wangfang88", MemberTier.Vip), new("张伟", "zhangwei"), new("李娜", "lina.sh"), new("刘洋", "liuyang1993"),
            new("陈静", "chenjing", MemberTier.Vip), new("Emily Chen", "emily.chen", MemberTier.Vip, English: true), new("杨帆", "yangfan"),
            new("赵磊", "zhaolei"), new("黄丽", "huangli"), new("周杰", "zhoujie", MemberTier.Vip), new("吴敏", "wumin"), new("徐斌", "xubin"),
            new("孙婷", "sunting"), new("Jason Wu", "jason.wu", English: true), new("胡军", "hujun"), new("朱琳", "zhulin"),
            new("高翔", "gaoxiang"), new("林晓", "linxiao", MemberTier.Vip), new("何佳", "hejia"), new("郭鹏", "guopeng", MemberTier.Vip),
            new("马超", "machao"), new("罗静怡", "luojingyi"), new("梁宇", "liangyu"), new("Kevin Zhang", "kevin.zhang", English: true),
            new("宋雨", "songyu"), new("郑浩", "zhenghao"), new("谢婉婷", "xiewanting"), new("韩冰", "hanbing"), new("唐宁", "tangning"),
            new("冯凯", "fengkai"), new("于洋", "yuyang"), new("Sophie Lin", "sophie.lin", English: true), new("董欣", "dongxin"),
            new("萧然", "xiaoran"), new("程昊", "chenghao"), new("曹颖", "caoying"), new("袁野", "yuanye"), new("邓超", "dengchao"),
            new("Daniel Ho", "daniel.ho", English: true), new("许嘉", "xujia"), new("傅晨", "fuchen"), new("沈悦", "shenyue"),
            new("曾琪", "zengqi"), new("彭博", "pengbo"), new("吕薇", "lvwei"), new("Grace Liu", "grace.liu", English: true),
            new("苏航", "suhang"), new("卢鑫", "luxin"), new("蒋欢", "jianghuan"), new("蔡文", "caiwen"), new("贾铭", "jiaming"),
            new("丁一", "dingyi"), new("Tom Baker", "tom.baker", English: true), new("魏来", "weilai"), new("薛晴", "xueqing"),
            new("小鱼儿", "xiaoyuer"), new("阿强", "aqiang"), new("Anna Schmidt", "anna.schmidt", English: true), new("钱多多", "qianduoduo"),
            new("任杰", "renjie"), new("姚琳", "yaolin"), new("方圆", "fangyuan"), new("石磊", "shilei"), new("Michael Brown", "michael.brown", English: true),
            new("廖婷", "liaoting"), new("邹凯", "zoukai"), new("熊猫爱吃竹", "panda.bamboo"), new("金鑫", "jinxin"), new("陆远", "luyuan"),
            new("白雪", "baixue"), new("崔浩", "cuihao"), new("Lily Wang", "lily.wang", English: true), new("康宁", "kangning"), new("毛毛", "maomao"),
            new("夏天", "xiatian"), new("龙飞", "longfei"),
        ];

        /// <summary>What goes wrong, by kind of product (relative weights); the flaky Office keys have their own.</summary>
        private static readonly (TicketCategory Category, double Weight)[] GameCardTrouble =
        [
            (TicketCategory.KeyInvalid, 25), (TicketCategory.ActivationFailed, 15), (TicketCategory.WrongRegion, 15),
            (TicketCategory.KeyAlreadyUsed, 12), (TicketCategory.NotReceived, 13), (TicketCategory.RefundRequest, 10), (TicketCategory.Other, 10),
        ];

        private static readonly (TicketCategory Category, double Weight)[] ActivationCodeTrouble =
        [
            (TicketCategory.ActivationFailed, 25), (TicketCategory.KeyInvalid, 20), (TicketCategory.WrongRegion, 20),
            (TicketCategory.KeyAlreadyUsed, 10), (TicketCategory.NotReceived, 10), (TicketCategory.RefundRequest, 10), (TicketCategory.Other, 5),
        ];

        private static readonly (TicketCategory Category, double Weight)[] MembershipTrouble =
        [
            (TicketCategory.AccountAbnormal, 25), (TicketCategory.KeyInvalid, 20), (TicketCategory.Other, 20),
            (TicketCategory.NotReceived, 15), (TicketCategory.RefundRequest, 10), (TicketCategory.KeyAlreadyUsed, 10),
        ];

        private static readonly (TicketCategory Category, double Weight)[] FlakyTrouble =
            [(TicketCategory.ActivationFailed, 50), (TicketCategory.KeyAlreadyUsed, 30), (TicketCategory.KeyInvalid, 20)];

        /// <summary>How much of the everyday work each agent takes, among those with the skill; the supervisor approves and follows up.</summary>
        private static readonly Dictionary<string, double> DeskShare = new()
        {
            [AgentEmail] = 1.0,
            [Agent2Email] = 1.3,
            [Agent3Email] = 0.8,
        };

        private readonly Random _random = new(20_260_101);
        private readonly Dictionary<string, Stock> _stock = [];
        private readonly List<Sale> _sales = [];
        private readonly List<Order> _orders = [];
        private readonly List<CardKey> _keys = [];
        private readonly List<CardKeyEvent> _keyEvents = [];
        private readonly List<TopUp> _topUps = [];
        private Supplier _usual = null!;
        private Supplier _flaky = null!;
        private int _flakyComplaints;
        private int _flakyReplacements;
        private int _answered;

        private CardMallDbContext Db => h.Db;

        public async Task WriteAsync()
        {
            var first = Profiles[0].Mailbox + MailDomain;
            if (await Db.Users.AnyAsync(u => u.Email == first, h.Ct)) return;

            var customers = Customers();
            var plan = Plan(customers);
            await OpenAccountsAsync(customers, plan);
            await SuppliersAsync();
            Sell(plan);
            // The accounts, the new supplier and the batches first: the copied rows refer to them.
            await Db.SaveChangesAsync(h.Ct);
            await FileTicketsAsync();
            foreach (var stock in _stock.Values) stock.Batch.LineCount = stock.Batch.ImportedCount = stock.Made;

            // The sales as the tickets left them (refunded amounts, voided keys), copied in bulk: saving thousands of
            // rows through the change tracker would take seconds. Then the tickets, which refer to them.
            await DemoRows.CopyAsync(Db, _orders, h.Ct);
            await DemoRows.CopyAsync(Db, _keys, h.Ct);
            await DemoRows.CopyAsync(Db, _orders.SelectMany(o => o.Items).ToList(), h.Ct);
            await DemoRows.CopyAsync(Db, _keyEvents, h.Ct);
            await DemoRows.CopyAsync(Db, _topUps, h.Ct);
            await Db.SaveChangesAsync(h.Ct);
        }

        // ---- Customers and their orders ----

        private List<Customer> Customers()
        {
            var customers = new List<Customer>();
            for (var i = 0; i < Profiles.Length; i++)
            {
                var profile = Profiles[i];
                // A few regulars buy most: a long tail of weights, and the VIPs are VIPs for a reason.
                var weight = 0.4 + (5 * Math.Pow(_random.NextDouble(), 3)) + (profile.Tier == MemberTier.Vip ? 2 : 0);
                // The first eight were there on the first day, a third within the first week; the rest came along later.
                var arrives = i < 8 ? Days : i < Profiles.Length / 3 ? Days - _random.Next(1, 6) : _random.Next(6, Days - 5);
                customers.Add(new Customer(profile, weight, arrives));
            }
            return customers;
        }

        private List<Planned> Plan(List<Customer> customers)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(h.Now, ShopTime.Zone).Date);
            var plan = new List<Planned>();
            for (var d = Days; d >= 1; d--)
            {
                // The shop grows from about nine orders a day to about fifteen; weekends are busier.
                var busy = 9 + (6.0 * (Days - d) / (Days - 1));
                if (today.AddDays(-d).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) busy *= 1.3;
                var count = (int)Math.Round(busy + ((_random.NextDouble() + _random.NextDouble() - 1) * 3));
                var shoppers = customers.Where(c => c.ArrivesDaysAgo >= d && c.Profile.Tier != MemberTier.Reseller).ToList();
                var resellers = customers.Where(c => c.ArrivesDaysAgo >= d && c.Profile.Tier == MemberTier.Reseller).ToList();
                var onSale = Demand.Where(x => x.Sku != FlakySku || d is <= FlakyFrom and >= FlakyUntil).ToList();
                for (var i = 0; i < count; i++)
                {
                    var reseller = resellers.Count > 0 && _random.NextDouble() < 0.07;
                    var buyer = Pick(reseller ? resellers : shoppers, c => c.Weight);
                    var sku = Pick(onSale, x => reseller ? x.Reseller : x.Shopper).Sku;
                    // Resellers buy in office hours, everybody else whenever they like.
                    var hour = Pick(Hours, hr => reseller ? (hr is >= 9 and < 19 ? 1 : 0) : ShopperHours[hr]);
                    var at = h.Day(d, hour, _random.Next(60)).AddSeconds(_random.Next(60));
                    var quantity = reseller ? Math.Min(_random.Next(3, 9), h.ProductOf(sku).MaxPerOrder)
                        : SoldOneAtATime.Contains(sku) ? 1
                        : _random.NextDouble() switch { < 0.82 => 1, < 0.95 => 2, _ => 3 };
                    var channel = reseller && _random.NextDouble() < 0.85 ? "api" : "web";
                    // The API hands the keys over at once; on the web a few buyers never open theirs.
                    var revealed = channel == "api" || _random.NextDouble() < 0.93;
                    plan.Add(new Planned(d, at, buyer, sku, quantity, channel, revealed));
                }
            }
            return plan.OrderBy(p => p.At).ToList();
        }

        /// <summary>
        /// Accounts as AccountOpening leaves them (a Buyer or Reseller role, a wallet, the demo password, so any of
        /// them can be signed in as), written directly because Identity's one slow hash per account would cost
        /// seconds: most people register just before their first purchase; a few looked around and left.
        /// </summary>
        private async Task OpenAccountsAsync(List<Customer> customers, List<Planned> plan)
        {
            var roles = await Db.Roles.Where(r => r.Name == ShopRoles.Buyer || r.Name == ShopRoles.Reseller)
                .ToDictionaryAsync(r => r.Name!, r => r.Id, h.Ct);
            var firstOrders = plan.GroupBy(p => p.Buyer).ToDictionary(g => g.Key, g => g.First().At);
            foreach (var c in customers)
            {
                var opened = firstOrders.TryGetValue(c, out var firstOrder)
                    ? firstOrder.AddMinutes(-_random.Next(10, 90))
                    : h.Day(c.ArrivesDaysAgo, _random.Next(9, 23), _random.Next(60));
                var email = c.Profile.Mailbox + MailDomain;
                var user = new ShopUser
                {
                    Id = Guid.NewGuid(),
                    UserName = email,
                    NormalizedUserName = email.ToUpperInvariant(),
                    Email = email,
                    NormalizedEmail = email.ToUpperInvariant(),
                    EmailConfirmed = true,
                    SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(),
                    LockoutEnabled = true,
                    DisplayName = c.Profile.Name,
                    Tier = c.Profile.Tier,
                    PreferredCulture = c.Profile.English ? "en-US" : "zh-CN",
                    CreatedAt = opened,
                };
                user.PasswordHash = hashPassword(user);
                Db.Users.Add(user);
                Db.UserRoles.Add(new IdentityUserRole<Guid>
                {
                    UserId = user.Id,
                    RoleId = roles[c.Profile.Tier == MemberTier.Reseller ? ShopRoles.Reseller : ShopRoles.Buyer],
                });
                Db.Wallets.Add(new Wallet(user.Id, opened));
                // Resellers connect their shop's system first: their orders come through the API.
                if (c.Profile.Tier == MemberTier.Reseller) Db.ApiKeys.Add(ApiKey.Issue(user.Id, "店铺系统对接 / shop system", opened.AddMinutes(3)).Key);
                c.User = user;
            }
        }

        private async Task SuppliersAsync()
        {
            _usual = await Db.Suppliers.SingleAsync(s => s.Code == "DEMO-SUPPLY", h.Ct);
            // Cheaper than the usual supplier, which is why the shop took its Office keys.
            _flaky = new Supplier(FlakySupplierCode, "华域软件授权（演示供应商）", vault.SealSecret("demo-huayu-webhook-secret"), h.Day(FlakyFrom + 2, 11, 0));
            Db.Suppliers.Add(_flaky);
        }

        /// <summary>
        /// The orders in time order, as PlaceOrder writes them: tier price, keys sold to the order's items and
        /// (mostly) revealed, paid through the ledger — topped up through the sandbox just before when the wallet
        /// is short. Kept in memory for the bulk copy, not tracked.
        /// </summary>
        private void Sell(List<Planned> plan)
        {
            foreach (var p in plan)
            {
                var c = p.Buyer;
                var product = h.ProductOf(p.Sku);
                var unitPrice = product.PriceFor(c.User.Tier);
                var total = unitPrice * p.Quantity;
                if (c.Balance < total) TopUp(c, total, p.At);

                var stock = StockOf(p.Sku);
                var order = new Order(OrderNumbers.NewOrderNo(p.At), c.User.Id, product.Id, p.Quantity, unitPrice, c.User.Tier, product.NoticesVersion,
                    null, null, p.Channel, p.At);
                for (var i = 0; i < p.Quantity; i++)
                {
                    var key = NewKey(stock);
                    _keyEvents.Add(key.Sell(order.Id, c.User.Id, p.At));
                    order.Items.Add(new OrderItem(order.Id, key.Id, p.At));
                    if (p.Revealed)
                        _keyEvents.Add(CardKeyEvent.Record(key.Id, CardKeyEventKind.Revealed, p.Channel == "api" ? p.At : p.At.AddMinutes(_random.Next(1, 15)),
                            c.User.Id, "channel:" + p.Channel, orderId: order.Id));
                }
                _orders.Add(order);
                c.Balance -= total;
                h.Post(c.User.Id, LedgerKind.Purchase, -total, order.No, p.At, null, null);
                _sales.Add(new Sale(p.DaysAgo, order, c, p.Sku, stock, p.Revealed));
            }
        }

        private void TopUp(Customer c, decimal needed, DateTimeOffset before)
        {
            decimal[] usual = c.Profile.Tier switch
            {
                MemberTier.Reseller => [2000m, 3000m, 5000m],
                MemberTier.Vip => [500m, 1000m, 1000m, 2000m],
                _ => [50m, 100m, 100m, 200m, 300m, 500m],
            };
            var amount = Math.Max(usual[_random.Next(usual.Length)], Math.Ceiling((needed - c.Balance) / 50m) * 50m);
            // Paid a minute after it is asked for, a few minutes before the purchase (and after the account opened).
            _topUps.Add(h.PaidTopUp(c.User, amount, before.AddMinutes(-_random.Next(3, 9))));
            c.Balance += amount;
        }

        /// <summary>The product's background batch, imported when its supplier first delivered.</summary>
        private Stock StockOf(string sku)
        {
            if (_stock.TryGetValue(sku, out var stock)) return stock;
            var product = h.ProductOf(sku);
            var flaky = sku == FlakySku;
            var importedAt = flaky ? h.Day(FlakyFrom + 1, 15, 20) : h.Now - ShopAge + TimeSpan.FromHours(1);
            var batch = new KeyBatch(product.Id, flaky ? _flaky.Id : _usual.Id, decimal.Round(product.Price * (flaky ? 0.78m : 0.9m), 2),
                DemoCatalog.ExpiryOf(sku, h.Now), h.OperatorId, "demo-" + sku.ToLowerInvariant() + (flaky ? "-huayu" : "-first"), importedAt);
            Db.KeyBatches.Add(batch);
            stock = new Stock(batch, sku);
            _stock[sku] = stock;
            return stock;
        }

        private CardKey NewKey(Stock stock)
        {
            var key = DemoCatalog.NewKey(vault, stock.Sku, stock.Batch.ProductId, stock.Batch, stock.Batch.ImportedAt);
            stock.Made++;
            _keys.Add(key);
            h.Track(key, stock.Batch.SupplierId);
            return key;
        }

        // ---- The odd ticket ----

        /// <summary>About three orders in a hundred come back; one in three of the new supplier's Office keys does.</summary>
        private async Task FileTicketsAsync()
        {
            var flakySold = 0;
            foreach (var sale in _sales.Where(s => s.DaysAgo >= SettledDays))
            {
                var file = sale.Sku == FlakySku ? flakySold++ % 3 == 0 : _random.NextDouble() < 0.03;
                if (file) await WriteCaseAsync(sale);
            }
        }

        private async Task WriteCaseAsync(Sale sale)
        {
            var flaky = sale.Sku == FlakySku;
            var trouble = flaky ? FlakyTrouble : sale.Sku switch
            {
                "WOW-60" or "NETEASE-100" or "GENSHIN-648" => GameCardTrouble,
                "STEAM-WALLET-100" or "WIN11-PRO" => ActivationCodeTrouble,
                _ => MembershipTrouble,
            };
            var category = Pick(trouble, t => t.Weight).Category;
            var item = sale.Order.Items[_random.Next(sale.Order.Items.Count)];
            // Key trouble shows within hours of trying the key, questions and second thoughts take longer; most people
            // write while they are up, a few in the middle of the night (and find the desk closed).
            var (soonest, latest) = category is TicketCategory.Other or TicketCategory.RefundRequest or TicketCategory.AccountAbnormal ? (20, 1200) : (5, 360);
            var filed = _random.NextDouble() < 0.85
                ? Buyer(sale.Order.CreatedAt, soonest, latest)
                : sale.Order.CreatedAt.AddMinutes(LogUniform(soonest, latest));
            var k = new Case(sale, item, category, AgentFor(sale.Buyer, category, filed), filed, flaky);
            switch (category)
            {
                case TicketCategory.KeyInvalid:
                case TicketCategory.ActivationFailed when flaky:
                    await BadKeyAsync(k);
                    break;
                case TicketCategory.KeyAlreadyUsed:
                    UsedBeforeDelivery(k);
                    break;
                case TicketCategory.WrongRegion when _random.NextDouble() < 0.3:
                    RegionRefused(k);
                    break;
                case TicketCategory.RefundRequest:
                    SecondThoughts(k);
                    break;
                case TicketCategory.Other:
                    Question(k);
                    break;
                default:
                    Guidance(k);
                    break;
            }
        }

        /// <summary>As TicketRouting: a new buyer's dedicated agent, otherwise somebody with the skill (the desk's share of the work).</summary>
        private ShopUser AgentFor(Customer c, TicketCategory category, DateTimeOffset at)
        {
            var isNew = at - c.User.CreatedAt <= h.Rules.NewBuyerPeriod;
            if (isNew && c.DedicatedAgent is { } dedicated) return dedicated;
            var skilled = Desk.Where(d => d.Skills.Contains(category) && DeskShare.ContainsKey(d.Email)).Select(d => d.Email).ToList();
            var email = Pick(skilled, e => DeskShare[e]);
            var agent = h.People.Everyone.Single(u => u.Email == email);
            if (isNew)
            {
                c.DedicatedAgent = agent;
                Db.DedicatedAgents.Add(new DedicatedAgent(c.User.Id, agent.Id, at));
            }
            return agent;
        }

        /// <summary>A faulty key: checked, replaced from the same batch; every third of the new supplier's replacements fails too and is refunded.</summary>
        private async Task BadKeyAsync(Case k)
        {
            var s = k.File(h, _random, Describe(k));
            var t = Answer(s, k);
            s.Reply(k.Agent, k.Say(
                $"{k.Name}您好，刚买的卡密用不了一定很着急，辛苦您了！我马上核实这张卡密的状态，请稍等几分钟。",
                $"Hello {k.Name}, I'm sorry the key won't work. I'm checking it right now and will be back in a few minutes."), t);
            t = t.AddMinutes(_random.Next(3, 12));
            s.Note(k.Agent, k.Flaky
                ? $"华域这批 Office 密钥又一张用不了，这已经是第 {++_flakyComplaints} 张了。先换新，已在群里提醒运营排查供应商。"
                : "查了卡密记录：发货后只有买家查看过，同批次其他卡都正常，判断是单张坏卡，直接换新。", t);
            t = t.AddMinutes(_random.Next(2, 8));
            var fresh = await s.ReplaceAsync(k.Agent, k.Item, t, NewKey(k.Sale.Stock));
            t = t.AddMinutes(1);
            s.Resolve(k.Agent, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced, t, closing: k.Say(
                "核实好了：这张卡密本身有问题，不是您操作的原因，给您添麻烦了。已经为您换了一张新的，刷新订单页就能看到，原来那张已经作废。",
                "Checked: the key itself was faulty, nothing you did wrong. A new key is on your order now (refresh the page); the old one has been cancelled."));
            var seen = Buyer(t, 5, 180);
            s.Reveal(fresh, seen);
            if (!k.Flaky || _flakyReplacements++ % 3 != 2)
            {
                Settle(s, k, seen, pleased: true);
                return;
            }

            // The replacement from the same batch fails as well: reopened and refunded.
            var back = seen.AddMinutes(_random.Next(5, 40));
            s.Reopen(k.Say("新换的这张还是激活不了，提示和之前一模一样。", "The new key fails with exactly the same error."), back);
            t = Staffed(back, 5, 60);
            s.Reply(k.Agent, k.Say(
                $"{k.Name}您好，又让您白忙一场，真的非常抱歉。两张都不能用，说明是这批货的问题，我不再让您试了，直接为您办理全额退款。",
                $"Hello {k.Name}, I'm very sorry to have wasted your time again. Two failed keys means the batch is at fault, so I won't ask you to try again: I'm refunding you in full."), t);
            var paid = Refund(s, k, "同批次两张密钥均无法激活，全额退款", t.AddMinutes(2));
            s.Resolve(k.Agent, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Refunded, paid.AddMinutes(2), closing: k.Say(
                $"{k.Sale.Order.UnitPrice:0.00} 元已经退回您的 CardMall 钱包。这批密钥我们已经交给运营和供应商排查，再次抱歉！",
                $"¥{k.Sale.Order.UnitPrice:0.00} is back in your CardMall wallet. We have handed the batch to operations and the supplier to investigate. Sorry again!"));
            Settle(s, k, paid.AddMinutes(2), pleased: false);
        }

        /// <summary>"Already used": the supplier checks; used before delivery is refunded, used after it is explained and refused.</summary>
        private void UsedBeforeDelivery(Case k)
        {
            var s = k.File(h, _random, Describe(k));
            var t = Answer(s, k);
            s.Reply(k.Agent, k.Say(
                $"{k.Name}您好，刚买的卡就提示已被使用，确实让人着急。我已经调取了这张卡密的发放记录，并请供应商核查兑换记录，有结果马上告诉您。",
                $"Hello {k.Name}, a brand-new key that says it was used is worrying. I've pulled up how it was delivered and asked the supplier to check when it was redeemed; you'll hear from me as soon as they answer."), t);
            t = t.AddMinutes(_random.Next(2, 8));
            s.Escalate(k.Agent, $"订单 {k.Sale.Order.No} 的卡密，买家首次查看即提示已被使用。请提供该卡的兑换时间与兑换账号（脱敏）。", t);
            var answered = Supplier(t, k.Flaky ? 16 : 2, k.Flaky ? 36 : 10);
            if (!k.Flaky && _random.NextDouble() < 0.4)
            {
                s.SupplierAnswers(k.Agent, "该卡于发货后约 2 天兑换到国服账号（尾号 3306），兑换过程无异常。", answered);
                var decided = Staffed(answered, 5, 60);
                s.Resolve(k.Agent, Responsibility.Buyer, RootCause.KeyLeakedAfterDelivery, TicketResolution.Rejected, decided,
                    closing: k.Say("建议您核对一下尾号 3306 的账号是不是家人或朋友的；有新的线索随时在工单里告诉我们。",
                        "Please check whether the account ending 3306 belongs to family or friends; tell us here if anything new comes up."),
                    reason: k.Say("我们和供应商一起核查了：这张卡在发货约两天后被兑换到了尾号 3306 的账号，兑换过程没有异常，说明卡是好的并且已经被使用，所以这次没办法补发或退款，请您理解。",
                        "We checked with the supplier: the key was redeemed to an account ending 3306 about two days after delivery, and nothing about it was unusual. The key was good and has been used, so we cannot replace or refund it this time."));
                Settle(s, k, decided, pleased: false);
                return;
            }

            s.SupplierAnswers(k.Agent, k.Flaky ? "华域：经核实该密钥在交付前已被激活，同意退款，费用由我方承担。" : "经查，该卡在发货前已被兑换，属出库问题，同意退款，费用由我方承担。", answered);
            var paid = Refund(s, k, "供应商确认交付前已被使用，退还该卡货款", Staffed(answered, 5, 40));
            s.Resolve(k.Agent, Responsibility.Supplier, RootCause.KeyUsedBeforeDelivery, TicketResolution.Refunded, paid.AddMinutes(2), closing: k.Say(
                $"供应商已经确认：这张卡在发货前就被用掉了，完全不是您的问题。{k.Sale.Order.UnitPrice:0.00} 元已经退回您的 CardMall 钱包，给您添麻烦了。",
                $"The supplier confirmed the key was used before it reached you — not your fault at all. ¥{k.Sale.Order.UnitPrice:0.00} is back in your CardMall wallet. Sorry for the trouble."));
            Settle(s, k, paid.AddMinutes(2), pleased: _random.NextDouble() < 0.8);
        }

        /// <summary>Step-by-step help: the buyer tries again and it works.</summary>
        private void Guidance(Case k)
        {
            var s = k.File(h, _random, Describe(k));
            var t = Answer(s, k);
            var (zh, en, worked, workedEn, cause) = k.Category switch
            {
                TicketCategory.WrongRegion => (
                    "这个提示说明账号的地区和卡不一致：这张卡只能用在商品页写明地区的账号上。卡还没有被使用，仍然有效，请换成对应地区的账号再兑换。",
                    "That message means the account's region does not match the key: it only works on accounts of the region named on the product page. The key is unused and still valid; please redeem it on an account of that region.",
                    "换了国服账号，已经充上了，谢谢！", "Switched to the right account and it worked, thanks!", RootCause.RegionMismatch),
                TicketCategory.NotReceived => (
                    "卡密不会通过短信或邮件发送，而是放在订单页里：右上角账户菜单 →“我的订单”→ 打开这笔订单 → 点“查看卡密”。",
                    "Keys are not sent by text or e-mail; they are on the order page: account menu → My orders → open the order → Reveal key.",
                    "找到了，原来在订单页里，谢谢。", "Found it on the order page, thanks.", RootCause.UserError),
                TicketCategory.AccountAbnormal => (
                    "先请您放心：用卡密充值本身不会导致账号异常。平台发现新设备或异地登录时会临时限制账号作为保护，请按页面提示完成身份验证并改一次密码，充值的时长不受影响。",
                    "Rest assured: topping up with a key does not put an account at risk by itself. Platforms restrict an account for a while when they see a new device or place; please complete their identity check and change your password. The top-up itself is not affected.",
                    "验证完已经恢复了，会员也在。", "Verified and the account is back, membership included.", RootCause.Other),
                _ => (
                    "这种情况多半不是卡的问题，我们一步一步来：1. 用订单页的“复制”按钮复制卡密，不要手动输入；2. 确认登录的是要充值的账号，地区和商品页一致；3. 隔几分钟再提交一次。如果还不行，请截图发给我。",
                    "This is rarely the key itself, so let's go step by step: 1. copy the key with the Copy button on the order page rather than typing it; 2. make sure you are signed in to the right account, in the product's region; 3. wait a few minutes and try again. If it still fails, send me a screenshot.",
                    "按步骤重新操作了一遍，已经成功了。", "Did it step by step again and it went through.", RootCause.UserError),
            };
            s.Reply(k.Agent, k.Say($"{k.Name}您好，遇到问题别着急，我们来帮您。{zh}", $"Hello {k.Name}, don't worry, we'll sort this out. {en}"), t, TicketStatus.WaitingOnBuyer);
            var back = Buyer(t, 20, 720);
            s.BuyerSays(k.Say(worked, workedEn), back);
            var done = Staffed(back, 3, 45);
            s.Resolve(k.Agent, Responsibility.Buyer, cause, TicketResolution.GuidanceGiven, done,
                closing: k.Say("太好了，问题解决就好！以后有问题随时找我们。", "Great, glad it's sorted! We're here if anything else comes up."));
            Settle(s, k, done, pleased: true);
        }

        /// <summary>The wrong region and a refund asked for: refused by the refund rules, with what can be done instead.</summary>
        private void RegionRefused(Case k)
        {
            var s = k.File(h, _random, Describe(k));
            var t = Answer(s, k);
            s.Reply(k.Agent, k.Say(
                $"{k.Name}您好，兑换不成功让您白忙一场，真是抱歉。这个提示一般是账号地区和卡不一致造成的，麻烦您看一下账号的国家/地区，截个图发给我。",
                $"Hello {k.Name}, sorry the redemption didn't work. This message usually means the account's region differs from the key's; could you check your account's country/region and send me a screenshot?"),
                t, TicketStatus.WaitingOnBuyer);
            var back = Buyer(t, 30, 600);
            s.BuyerSays(k.Say("我的账号是外区的，那这张卡能退款吗？", "My account is in another region. Can I get a refund?"), back);
            var done = Staffed(back, 10, 90);
            s.Resolve(k.Agent, Responsibility.Buyer, RootCause.RegionMismatch, TicketResolution.Rejected, done,
                closing: k.Say("可以请有对应地区账号的亲友帮忙兑换；这张卡长期有效，以后有对应地区的账号时随时能用。",
                    "A friend or relative with an account in the key's region could redeem it; the key stays valid for a long time."),
                reason: k.Say("很理解您想退款的心情。我们核实了这张卡，它是完好可用的，只是不适用于您所在地区的账号；商品页的购买须知里也写明了适用地区。按照退款规则，这种情况没办法退款，真的很抱歉。",
                    "I understand why you'd want a refund. We checked the key: it is perfectly good, it just does not work on accounts of your region, as the product's notices say. Under the refund rules we cannot refund it, and I'm sorry about that."));
            Settle(s, k, done, pleased: false);
        }

        /// <summary>A refund asked for before using the key: granted while the key is unopened, refused once it was revealed.</summary>
        private void SecondThoughts(Case k)
        {
            var s = k.File(h, _random, Describe(k));
            var t = Answer(s, k);
            if (k.Sale.Revealed)
            {
                s.Resolve(k.Agent, Responsibility.Buyer, RootCause.Other, TicketResolution.Rejected, t,
                    closing: k.Say("卡密长期有效，您可以留着以后用，或者转送给需要的朋友。", "The key stays valid for a long time: keep it for later or give it to a friend."),
                    reason: k.Say($"{k.Name}您好，理解您的想法。不过这笔订单的卡密已经被查看过，按照购买须知里的退款规则，查看过的卡密没办法退款，请您谅解。",
                        $"Hello {k.Name}, I understand. This order's key has already been revealed, though, and under the refund rules in the product's notices a revealed key cannot be refunded. I hope you understand."));
                Settle(s, k, t, pleased: false);
                return;
            }
            s.Reply(k.Agent, k.Say($"{k.Name}您好，收到。我查了这笔订单，卡密还没有被查看过，可以为您退款。",
                $"Hello {k.Name}, got it. I checked the order: the key has not been revealed, so it can be refunded."), t);
            var paid = Refund(s, k, "买家未查看卡密，申请退款", t.AddMinutes(_random.Next(2, 10)));
            s.Resolve(k.Agent, Responsibility.Buyer, RootCause.Other, TicketResolution.Refunded, paid.AddMinutes(1),
                closing: k.Say("退款已经退回您的 CardMall 钱包，可以在“钱包”里查看。", "The refund is back in your CardMall wallet; you can see it under Wallet."));
            Settle(s, k, paid.AddMinutes(1), pleased: true);
        }

        /// <summary>A question, not a fault: lowered to Low, answered, resolved.</summary>
        private void Question(Case k)
        {
            var s = k.File(h, _random, Describe(k));
            var t = Answer(s, k);
            s.Triage(k.Agent, TicketPriority.Low, t.AddMinutes(-1));
            s.Reply(k.Agent, k.Say(
                $"{k.Name}您好，感谢您的支持！可以的：卡密长期有效，多张可以依次兑换到同一个账号，时长或余额会自动叠加；需要发票的话，回复抬头和税号即可，我们会在 3 个工作日内开好发到您的邮箱。",
                $"Hello {k.Name}, thanks for asking! Yes: the keys stay valid for a long time and several can be redeemed one after the other on the same account, adding up. If you need an invoice, reply with the company name and tax number and we'll e-mail it within 3 working days."), t);
            var done = t.AddMinutes(_random.Next(1, 5));
            s.Resolve(k.Agent, Responsibility.Merchant, RootCause.Other, TicketResolution.GuidanceGiven, done);
            Settle(s, k, done, pleased: true);
        }

        /// <summary>
        /// When the desk first answers (minutes while it is staffed, the next morning for a night-time ticket, and one
        /// ticket in eight on a busy shift, hours later than promised); a buyer left waiting over an hour may urge it first.
        /// </summary>
        private DateTimeOffset Answer(Story s, Case k)
        {
            var busy = _answered++ % 8 == 5;
            var t = Staffed(k.Filed, busy ? 250 : 4, busy ? 420 : 80);
            var urgeAt = k.Filed.AddMinutes(_random.Next(60, 120));
            if (_random.NextDouble() < 0.35 && urgeAt < t.AddMinutes(-2)) s.Urge(urgeAt);
            // The reply a minute after the agent picks the ticket up, leaving room for a triage step before it.
            return t.AddMinutes(1);
        }

        /// <summary>Within the agent's limit paid at once; above it, requested and approved by the supervisor. Returns when it was paid.</summary>
        private DateTimeOffset Refund(Story s, Case k, string reason, DateTimeOffset at)
        {
            var amount = k.Sale.Order.UnitPrice;
            var wang = h.People.Supervisor;
            if (amount <= h.Rules.AgentPayoutLimit)
            {
                s.Refund(k.Agent, amount, reason, at);
                return at;
            }
            s.RequestRefund(k.Agent, amount, reason, at);
            var approved = Staffed(at, 15, 150);
            s.Approve(wang, approved);
            return approved;
        }

        /// <summary>
        /// After the resolution the buyer may confirm (always, for a recent ticket: nothing is left for the watcher to
        /// close) and may rate — mostly 4 or 5 when the outcome pleased them; a low score is followed up by the supervisor.
        /// </summary>
        private void Settle(Story s, Case k, DateTimeOffset resolved, bool pleased)
        {
            var t = resolved;
            var confirm = _random.NextDouble() < 0.4;
            if (confirm || k.Sale.DaysAgo < ConfirmedDays)
            {
                t = Buyer(t, 5, 150);
                s.Confirm(t);
            }
            // Most pleased buyers rate; some of the disappointed ones do not bother.
            if (_random.NextDouble() >= (pleased ? 0.8 : 0.55)) return;
            var roll = _random.NextDouble();
            var score = pleased
                ? roll switch { < 0.7 => 5, < 0.97 => 4, _ => 3 }
                : roll switch { < 0.35 => 4, < 0.75 => 3, < 0.92 => 2, _ => 1 };
            t = Buyer(t, 2, 600);
            s.Rate(score, Comment(score, k), t);
            if (score <= 2)
                s.FollowUpDone(h.People.Supervisor, "已电话回访：向买家道歉并说明了处理依据，买家表示理解。相关问题已记录到周会复盘。", Staffed(t, 60, 900));
        }

        private string Describe(Case k)
        {
            string[] zh, en;
            switch (k.Category)
            {
                case TicketCategory.KeyInvalid:
                    zh = ["充值时提示“卡号或密码错误”，我是用复制按钮复制的，试了三次都不行。", "兑换的时候提示“该卡无效”，刚买的，麻烦帮忙查一下。", "输入卡密后一直提示无效，换了浏览器也一样。"];
                    en = ["The redeem page says the code is invalid. I copied it with the Copy button and tried three times."];
                    break;
                case TicketCategory.KeyAlreadyUsed:
                    zh = ["刚买的卡，兑换时提示“已被使用”，我是第一次打开这个卡密。", "提示“该兑换码已被使用”，但我确定自己没有用过。"];
                    en = ["It says the code has already been used, but I only just bought it and never used it."];
                    break;
                case TicketCategory.ActivationFailed when k.Flaky:
                    zh = ["激活 Office 时提示“此产品密钥无法使用”，错误代码 0xC004C060。", "输入密钥后提示“我们无法激活此产品”，电脑是正版 Windows。"];
                    en = ["Office says the product key can't be used (error 0xC004C060)."];
                    break;
                case TicketCategory.ActivationFailed:
                    zh = ["充值一直失败，提示“请稍后再试”。", "兑换的时候页面提示“兑换失败”，换了手机也不行。"];
                    en = ["The top-up keeps failing with 'please try again later'."];
                    break;
                case TicketCategory.WrongRegion:
                    zh = ["兑换时提示“此产品在您所在的国家/地区不可用”。", "充值页面提示“当前地区暂不支持”。"];
                    en = ["It says the product is not available in my country/region."];
                    break;
                case TicketCategory.NotReceived:
                    zh = ["付款成功了，但是没看到卡密，邮箱也没有收到。", "订单显示已完成，卡密在哪里看？"];
                    en = ["I paid but can't find the key anywhere, and nothing arrived by e-mail."];
                    break;
                case TicketCategory.AccountAbnormal:
                    zh = ["充值后账号提示异常、被限制登录了，是不是卡有问题？", "用卡充值后收到账号安全提醒，有点担心。"];
                    en = ["After the top-up my account was locked for unusual activity. Is the card to blame?"];
                    break;
                case TicketCategory.RefundRequest:
                    zh = ["买错了，想退掉这一单，可以吗？", "下单重复了，多买了一张，可以退款吗？"];
                    en = ["I bought this by mistake. Can I get a refund?"];
                    break;
                default:
                    zh = ["请问这个可以开发票吗？公司报销要用。", "买了几张，可以叠加使用吗？会不会互相覆盖？", "这个卡有有效期吗？想留着以后用。"];
                    en = ["Can I get an invoice for this order? And can several keys be used on one account?"];
                    break;
            }
            var pool = k.English ? en : zh;
            return pool[_random.Next(pool.Length)];
        }

        private string Comment(int score, Case k)
        {
            string[] pool = (score, k.English) switch
            {
                (5, false) => ["处理很快，谢谢！", "客服态度很好，问题马上就解决了。", "回复及时，讲得很清楚，点赞。"],
                (5, true) => ["Quick and friendly, thank you!", "Sorted out in minutes."],
                (4, false) => ["解决了，就是等了一会儿。", "还不错，希望以后少遇到这种情况。"],
                (4, true) => ["Fixed, though it took a while."],
                (3, false) => ["问题解决了，但来回沟通有点久。", "一般吧，流程有点麻烦。"],
                (3, true) => ["OK in the end, but slow."],
                (2, false) => ["等了太久才有结果。", "卡的质量不太行，希望你们查查供应商。"],
                (2, true) => ["Took far too long."],
                (_, false) => ["连着遇到问题，体验很差。"],
                _ => ["A poor experience from start to finish."],
            };
            return pool[_random.Next(pool.Length)];
        }

        // ---- Time and chance ----

        /// <summary>The desk answers while it is staffed, 08:00–24:00 in Beijing.</summary>
        private DateTimeOffset Staffed(DateTimeOffset after, double minMinutes, double maxMinutes) =>
            During(after.AddMinutes(LogUniform(minMinutes, maxMinutes)), 8, 24);

        /// <summary>Suppliers answer cases in their office hours, 09:00–21:00.</summary>
        private DateTimeOffset Supplier(DateTimeOffset after, double minHours, double maxHours) =>
            During(after.AddHours(LogUniform(minHours, maxHours)), 9, 21);

        /// <summary>Buyers write back while awake, 08:00–24:00.</summary>
        private DateTimeOffset Buyer(DateTimeOffset after, double minMinutes, double maxMinutes) =>
            During(after.AddMinutes(LogUniform(minMinutes, maxMinutes)), 8, 24);

        /// <summary>The moment itself when it falls within the hours, otherwise a little after they next begin.</summary>
        private DateTimeOffset During(DateTimeOffset at, int opens, int closes)
        {
            var local = TimeZoneInfo.ConvertTime(at, ShopTime.Zone);
            if (local.Hour >= opens && local.Hour < closes) return at;
            var day = local.Hour >= closes ? local.Date.AddDays(1) : local.Date;
            var start = day.AddHours(opens).AddMinutes(_random.Next(2, 40));
            return new DateTimeOffset(start, ShopTime.Zone.GetUtcOffset(start)).ToUniversalTime();
        }

        /// <summary>Most waits are short and a few are long.</summary>
        private double LogUniform(double min, double max) =>
            Math.Exp(Math.Log(min) + (_random.NextDouble() * (Math.Log(max) - Math.Log(min))));

        private T Pick<T>(IReadOnlyList<T> items, Func<T, double> weight)
        {
            var x = _random.NextDouble() * items.Sum(weight);
            foreach (var item in items)
            {
                x -= weight(item);
                if (x < 0) return item;
            }
            return items[^1];
        }

        private sealed record Profile(string Name, string Mailbox, MemberTier Tier = MemberTier.Regular, bool English = false);

        private sealed class Customer(Profile profile, double weight, int arrivesDaysAgo)
        {
            public Profile Profile => profile;
            public double Weight => weight;
            /// <summary>The first shop day (counted back from today) on which the customer may buy.</summary>
            public int ArrivesDaysAgo => arrivesDaysAgo;
            public ShopUser User { get; set; } = null!;
            /// <summary>The wallet as it will be after the ledger is posted, so a purchase is never short.</summary>
            public decimal Balance { get; set; }
            public ShopUser? DedicatedAgent { get; set; }
        }

        private sealed record Planned(int DaysAgo, DateTimeOffset At, Customer Buyer, string Sku, int Quantity, string Channel, bool Revealed);

        private sealed record Sale(int DaysAgo, Order Order, Customer Buyer, string Sku, Stock Stock, bool Revealed);

        private sealed class Stock(KeyBatch batch, string sku)
        {
            public KeyBatch Batch => batch;
            public string Sku => sku;
            /// <summary>Keys made (and so sold) so far: the batch's size in the end.</summary>
            public int Made { get; set; }
        }

        /// <summary>One ticket to write: about which key, in what words, by whom.</summary>
        private sealed record Case(Sale Sale, OrderItem Item, TicketCategory Category, ShopUser Agent, DateTimeOffset Filed, bool Flaky)
        {
            public bool English => Sale.Buyer.Profile.English;

            public string Name => Sale.Buyer.Profile.Name;

            public string Say(string zh, string en) => English ? en : zh;

            public Story File(History history, Random random, string description)
            {
                string?[] devices = English
                    ? ["Windows 11 · Edge", "iPhone · Safari", "MacBook · Chrome", null]
                    : ["Windows 11 · Chrome", "iPhone · Safari", "Android · 微信内置浏览器", "华为手机 · 浏览器", null];
                return history.FileTicket(Sale.Buyer.User, Sale.Order, [Item], Category, description, devices[random.Next(devices.Length)], Filed, Agent);
            }
        }
    }
}
