using System.Globalization;
using CardMall.Domain.Tickets;
using CardMall.Web.Api;
using CardMall.Web.Localization;
using CardMall.Web.Pages.Admin.Tickets;
using CardMall.Web.Pages.Products;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Tickets;

/// <summary>
/// The one place a ticket's timeline event is put into words, from its kind and typed detail
/// (<see cref="TicketEventDetail"/>): the buyer reads a sentence ("你于 … 催单（第 2 次）"), staff read the event's
/// name with its detail beside it, the API gets stable machine words. Nothing is parsed here.
/// </summary>
public static class TicketEventText
{
    /// <summary>The buyer's sentence, in the reader's language.</summary>
    public static string ForBuyer(IStringLocalizer<SharedResource> t, string kind, TicketEventDetail? detail, bool bySystem)
    {
        // Only the details a buyer understands are worded into the sentence.
        string? extra = detail switch
        {
            CategoryDetail c => t["MyTickets.Category." + c.Category],
            StatusDetail s => t["MyTickets.Status." + s.Status],
            PriorityDetail p => t["MyTickets.Priority." + p.Priority],
            CountDetail n => n.Count.ToString(CultureInfo.InvariantCulture),
            AmountDetail a => ShopDisplay.Yuan(a.Amount),
            _ => null,
        };
        // A case the shop opened itself (a risk rule) must not read "you filed the ticket".
        var key = "MyTickets.Event." + (kind == TicketEventKinds.Created && bySystem ? "createdBySystem" : kind);
        var text = extra is null ? t[key] : t[key, extra];
        return text.ResourceNotFound ? t["MyTickets.Event.Other"] : text;
    }

    /// <summary>The event's name as staff say it (创建, 状态变更 …).</summary>
    public static string NameForStaff(IStringLocalizer<SharedResource> t, string kind) =>
        t["Workspace.Event." + kind] is { ResourceNotFound: false } w ? w.Value : kind;

    /// <summary>What staff read beside the event's name; <paramref name="assigneeName"/> for an assignment.</summary>
    public static string DetailForStaff(IStringLocalizer<SharedResource> t, string kind, TicketEventDetail? detail, string? assigneeName)
    {
        if (kind == TicketEventKinds.Reopened) return "";
        return detail switch
        {
            null => "",
            StatusDetail s => TicketDisplay.StatusWord(s.Status, t),
            ResolutionDetail r => TicketDisplay.Word(r.Resolution),
            CategoryDetail c => TicketDisplay.Word(c.Category),
            PriorityDetail p => TicketDisplay.Word(p.Priority),
            SlaClockDetail { Clock: SlaClock.FirstResponse } => t["Workspace.DueKind.FirstResponse"],
            SlaClockDetail => t["Workspace.DueKind.Resolution"],
            SupplierDueDetail d => t["Workspace.Sla.DueAt", ShopDisplay.Local(d.DueAt)],
            AmountDetail a => ShopDisplay.Yuan(a.Amount),
            PayoutDetail p => t["Workspace.PayoutKind." + p.Kind].Value + " " + ShopDisplay.Yuan(p.Amount),
            AssigneeDetail a => assigneeName ?? a.Stored,
            VerificationDetail v when t["Verification.Detail." + v.Result] is { ResourceNotFound: false } checkedWord => checkedWord.Value,
            _ => detail.Stored,
        };
    }

    /// <summary>The API's detail: slugs for the ticket's enums (key_invalid, waiting_on_buyer …), the stored text otherwise.</summary>
    public static string? ForApi(TicketEventDetail? detail) => detail switch
    {
        CategoryDetail c => TicketSlugs.Of(c.Category),
        StatusDetail s => TicketSlugs.Of(s.Status),
        PriorityDetail p => TicketSlugs.Of(p.Priority),
        ResolutionDetail r => TicketSlugs.Of(r.Resolution),
        _ => detail?.Stored,
    };
}
