using CardMall.Domain.Tickets;

namespace CardMall.Infrastructure.Seeding;

internal static partial class DemoTickets
{
    private sealed partial class Stories
    {
        // ---- 小明 (buyer@): a new buyer; 客服小李 took his first ticket and is his dedicated agent since ----

        private void Xiaoming()
        {
            var (me, li) = (cast.Buyer, cast.Agent);
            var wow = Buy(me, "WOW-60", 1, Day(20, 19, 50));
            var steam = Buy(me, "STEAM-WALLET-100", 1, Day(12, 12, 40));
            TopUp(me, 200m, Day(3, 9, 20));
            var windows = Buy(me, "WIN11-PRO", 1, Day(3, 9, 30));
            var iqiyi = Buy(me, "IQIYI-VIP-M", 1, Ago(0, 50), revealed: false);

            // A faulty game card, replaced within the half hour; rated 5.
            File("xiaoming-wow", me, wow, () => wow.Items, TicketCategory.KeyInvalid, Day(20, 20, 15), li)
                .Reply(li, "checking", Day(20, 20, 32))
                .Note(li, "note", Day(20, 20, 40))
                .Replace(li, () => wow.Items[0], Day(20, 20, 46), revealedAt: Day(20, 20, 55))
                .Reply(li, "replaced", Day(20, 20, 47))
                .Resolve(li, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced, Day(20, 20, 48))
                .Confirm(Day(20, 21, 6))
                .Rate(5, Day(20, 21, 7));

            // The wrong region: refused by the refund rules, explained with alternatives; rated 2 → follow-up open.
            File("xiaoming-steam", me, steam, () => steam.Items, TicketCategory.WrongRegion, Day(12, 13, 20), li)
                .Reply(li, "region", Day(12, 13, 48), TicketStatus.WaitingOnBuyer)
                .BuyerSays("buyer", Day(12, 19, 5))
                .Note(li, "note", Day(12, 19, 20))
                .Resolve(li, Responsibility.Buyer, RootCause.RegionMismatch, TicketResolution.Rejected, Day(12, 19, 31), closing: "closing", reason: "reason")
                .Rate(2, Day(11, 20, 10));

            // Activation trouble, worked through step by step; now waiting for the buyer's result.
            File("xiaoming-windows", me, windows, () => windows.Items, TicketCategory.ActivationFailed, Day(3, 10, 5), li)
                .Reply(li, "steps", Day(3, 10, 38), TicketStatus.WaitingOnBuyer)
                .BuyerSays("buyer", Day(2, 21, 0))
                .Reply(li, "retry", Day(1, 9, 26), TicketStatus.WaitingOnBuyer);

            // Just filed: cannot find the key (it is on the order page). Assigned, not answered yet.
            File("xiaoming-iqiyi", me, iqiyi, () => iqiyi.Items, TicketCategory.NotReceived, Ago(0, 25), li);
        }

        // ---- VIP 小红 (vip@): a regular customer for a month ----

        private void Xiaohong()
        {
            var (me, li, lin, zhou, wang) = (cast.Vip, cast.Agent, cast.Agent2, cast.Agent3, cast.Supervisor);
            var genshin = Buy(me, "GENSHIN-648", 1, Day(18, 20, 30));
            var qqMusic = Buy(me, "QQMUSIC-GREEN-Y", 1, Day(15, 11, 0));
            var iqiyi = Buy(me, "IQIYI-VIP-M", 3, Day(6, 9, 20));
            var wow = Buy(me, "WOW-60", 2, Day(3, 21, 0));
            var windows = Buy(me, "WIN11-PRO", 1, Day(2, 14, 0));
            var netease = Buy(me, "NETEASE-100", 1, Day(1, 10, 0));
            var steam = Buy(me, "STEAM-WALLET-100", 2, Day(1, 15, 10));

            // Used before delivery: the supplier confirms, ¥612 is above the agent's limit, the supervisor approves.
            File("xiaohong-genshin", me, genshin, () => genshin.Items, TicketCategory.KeyAlreadyUsed, Day(18, 20, 52), lin)
                .Reply(lin, "checking", Day(18, 21, 10))
                .Escalate(lin, "question", Day(18, 21, 12))
                .SupplierAnswers(lin, "supplier", Day(17, 10, 30))
                .Note(lin, "note", Day(17, 10, 36))
                .Refund(lin, () => genshin.View.Total, "refundReason", Day(17, 10, 38))
                .Reply(lin, "refundRequested", Day(17, 10, 40))
                .Approve(wang, Day(17, 11, 5))
                .Reply(lin, "refunded", Day(17, 11, 8))
                .Resolve(lin, Responsibility.Supplier, RootCause.KeyUsedBeforeDelivery, TicketResolution.Refunded, Day(17, 11, 9))
                .Rate(4, Day(17, 12, 30));

            // The account, not the key: guidance from the account specialist (now off duty); rated 3.
            File("xiaohong-qqmusic", me, qqMusic, () => qqMusic.Items, TicketCategory.AccountAbnormal, Day(15, 11, 40), zhou)
                .Reply(zhou, "guidance", Day(15, 12, 10), TicketStatus.WaitingOnBuyer)
                .BuyerSays("buyer", Day(15, 15, 20))
                .Resolve(zhou, Responsibility.Buyer, RootCause.Other, TicketResolution.GuidanceGiven, Day(15, 15, 35), closing: "closing")
                .Confirm(Day(15, 16, 0))
                .Rate(3, Day(15, 16, 1));

            // A question, not a fault: lowered to Low, answered, checked in on and closed by itself.
            File("xiaohong-iqiyi", me, iqiyi, () => iqiyi.Items, TicketCategory.Other, Day(6, 9, 45), li)
                .Triage(li, TicketPriority.Low, Day(6, 10, 20))
                .Reply(li, "answer", Day(6, 10, 22))
                .Resolve(li, Responsibility.Merchant, RootCause.Other, TicketResolution.GuidanceGiven, Day(6, 10, 23));

            // A blocked key the buyer wants refunded: ¥189 is within the agent's limit, paid at once.
            File("xiaohong-windows", me, windows, () => windows.Items, TicketCategory.RefundRequest, Day(2, 14, 30), li)
                .Reply(li, "reply", Day(2, 14, 55))
                .Refund(li, () => windows.View.Total, "refundReason", Day(2, 15, 0))
                .Resolve(li, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Refunded, Day(2, 15, 2), closing: "closing");

            // The wrong Battle.net region, sorted out the same evening; rated 5, still resolved.
            File("xiaohong-wow-region", me, wow, () => [wow.Items[0]], TicketCategory.WrongRegion, Ago(22), lin)
                .Reply(lin, "reply", Ago(21, 30), TicketStatus.WaitingOnBuyer)
                .BuyerSays("buyer", Ago(21))
                .Resolve(lin, Responsibility.Buyer, RootCause.RegionMismatch, TicketResolution.GuidanceGiven, Ago(20, 50), closing: "closing")
                .Rate(5, Ago(20, 40));

            // The account was locked after a top-up: the supervisor takes it over himself.
            File("xiaohong-wow-account", me, wow, () => [wow.Items[1]], TicketCategory.AccountAbnormal, Ago(3), li)
                .Note(li, "note", Ago(2, 45))
                .Claim(wang, Ago(2, 30))
                .Reply(wang, "reply", Ago(2, 20));

            // Asked about an invoice overnight; nobody answered in time: breached, unassigned, urged.
            File("xiaohong-netease", me, netease, () => netease.Items, TicketCategory.Other, Ago(9), null)
                .Urge(Ago(3));

            // One of two Steam codes does not work: waiting on the supplier, within its due time.
            File("xiaohong-steam", me, steam, () => [steam.Items[1]], TicketCategory.KeyInvalid, Ago(7), lin)
                .Reply(lin, "reply", Ago(6, 35))
                .Escalate(lin, "question", Ago(6, 30));
        }

        // ---- 星河代理 (reseller@): buys in bulk, mostly through the API ----

        private void Xinghe()
        {
            var (me, li, lin, zhou, wang) = (cast.Reseller, cast.Agent, cast.Agent2, cast.Agent3, cast.Supervisor);
            var wow = Buy(me, "WOW-60", 5, Day(14, 9, 0), "api");
            var genshin = Buy(me, "GENSHIN-648", 2, Day(8, 16, 0), "api");
            var netease = Buy(me, "NETEASE-100", 10, Day(5, 10, 0), "api");
            var iqiyi = Buy(me, "IQIYI-VIP-M", 10, Day(4, 10, 0), "api");
            var steam = Buy(me, "STEAM-WALLET-100", 5, Day(3, 11, 20));

            // Filed before anybody was on duty: the first response came late (breached); rated 1, followed up.
            File("xinghe-wow-late", me, wow, () => [wow.Items[0], wow.Items[1]], TicketCategory.ActivationFailed, Day(14, 9, 10), null)
                .Claim(li, Day(14, 11, 35))
                .Reply(li, "reply", Day(14, 11, 40))
                .BuyerSays("buyer", Day(14, 13, 5))
                .Resolve(li, Responsibility.Supplier, RootCause.Other, TicketResolution.GuidanceGiven, Day(14, 13, 15), closing: "closing")
                .Rate(1, Day(14, 13, 40))
                .FollowUpDone(wang, "followUp", Day(14, 16, 30))
                .Note(wang, "note", Day(14, 16, 31));

            // "Already used": the supplier shows a normal top-up two days after delivery; rejected with the reason.
            File("xinghe-wow-used", me, wow, () => [wow.Items[2]], TicketCategory.KeyAlreadyUsed, Day(10, 15, 0), zhou)
                .Reply(zhou, "reply", Day(10, 15, 25))
                .Escalate(zhou, "question", Day(10, 15, 30))
                .SupplierAnswers(zhou, "supplier", Day(10, 21, 10))
                .Note(zhou, "note", Day(10, 21, 20))
                .Resolve(zhou, Responsibility.Buyer, RootCause.UserError, TicketResolution.Rejected, Day(10, 21, 25), closing: "closing", reason: "reason");

            // One "used" code out of two: above the agent's limit, the refund waits for approval; breached, urged twice.
            File("xinghe-genshin", me, genshin, () => [genshin.Items[0]], TicketCategory.KeyAlreadyUsed, Ago(30), lin)
                .Reply(lin, "reply", Ago(29, 40))
                .Note(lin, "note", Ago(29, 20))
                .Refund(lin, () => genshin.View.UnitPrice, "refundReason", Ago(29))
                .Reply(lin, "refundRequested", Ago(28, 55))
                .Urge(Ago(8))
                .Urge(Ago(5))
                .BuyerSays("buyer", Ago(4, 58));

            // A bulk ticket for five keys from two orders: answered, being checked, warned about its due time.
            File("xinghe-bulk", me, null, () => [netease.Items[0], netease.Items[1], netease.Items[2], wow.Items[3], wow.Items[4]],
                    TicketCategory.KeyInvalid, Ago(20), lin, bulk: true)
                .Reply(lin, "reply", Ago(19, 35))
                .Note(lin, "note", Ago(19, 20));

            // An invalid Steam code, escalated; the supplier is late and the ticket breached while waiting.
            File("xinghe-steam", me, steam, () => [steam.Items[0]], TicketCategory.KeyInvalid, Ago(32), lin)
                .Reply(lin, "reply", Ago(31, 40))
                .Escalate(lin, "question", Ago(31, 35))
                .Urge(Ago(10))
                .Note(lin, "note", Ago(6))
                .Reply(lin, "reply2", Ago(5, 55));

            // A single bad membership code, replaced at once; resolved a few hours ago.
            File("xinghe-iqiyi", me, iqiyi, () => [iqiyi.Items[0]], TicketCategory.KeyInvalid, Ago(5), lin)
                .Reply(lin, "reply", Ago(4, 40))
                .Replace(lin, () => iqiyi.Items[0], Ago(4, 38))
                .Resolve(lin, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced, Ago(4, 37), closing: "closing");

            // A region question waiting on the reseller; its agent went off duty, the supervisor handed it on.
            File("xinghe-netease-region", me, netease, () => [netease.Items[5]], TicketCategory.WrongRegion, Ago(28), zhou)
                .Reply(zhou, "reply", Ago(27, 30), TicketStatus.WaitingOnBuyer)
                .Reassign(wang, lin, Ago(9))
                .Note(wang, "note", Ago(9));

            // Just filed, nobody has taken it yet.
            File("xinghe-netease-refund", me, netease, () => [netease.Items[3], netease.Items[4]], TicketCategory.RefundRequest, Ago(0, 15), null);
        }
    }
}
