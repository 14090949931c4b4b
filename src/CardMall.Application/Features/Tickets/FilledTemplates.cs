using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

internal sealed class FilledTemplates(ICardMallDb db)
{
    /// <summary>
    /// The desk's templates filled for this buyer, in the buyer's language whatever the agent's page is in: the
    /// reply goes to the buyer, and an agent on an English page answering a Chinese buyer would otherwise start
    /// from English.
    /// </summary>
    public async Task<IReadOnlyList<FilledTemplate>> ForAsync(Ticket ticket, ShopUser buyer, Order? order, StaffKey? firstKey,
        CancellationToken ct)
    {
        var english = VisitorLanguage.Of(buyer.PreferredCulture) == VisitorLanguage.English;
        var templates = await db.ReplyTemplates.AsNoTracking().Where(t => t.IsActive).ToListAsync(ct);
        var dueAt = BuyerTime.Minutes(ticket.ResolutionDueAt, buyer.TimeZoneId);
        var values = new Dictionary<string, string>
        {
            ["{buyer}"] = GetStaffTicketHandler.BuyerName(buyer),
            // A bulk ticket has no order of its own: the order of the key it is mostly about stands in.
            ["{orderNo}"] = order?.No ?? firstKey?.OrderNo ?? "",
            ["{maskedKey}"] = firstKey?.MaskedCode ?? "",
            ["{dueAt}"] = dueAt,
        };
        return templates
            .OrderBy(t => t.Category == ticket.Category ? 0 : t.Category is null ? 1 : 2)
            .ThenBy(t => t.Title, StringComparer.CurrentCulture)
            .Select(t => new FilledTemplate(t.Id, t.Title, t.Category, ReplyPlaceholders.Fill(english ? t.BodyEn : t.BodyZh, values)))
            .ToList();
    }
}

/// <summary>The placeholders a reply template may use, and how they are filled.</summary>
public static class ReplyPlaceholders
{
    public static readonly IReadOnlyList<string> All = ["{buyer}", "{orderNo}", "{maskedKey}", "{dueAt}"];

    public static string Fill(string body, IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(body, (text, v) => text.Replace(v.Key, v.Value, StringComparison.Ordinal));

    /// <summary>Anything in braces that is not one of <see cref="All"/> (a typo would reach the buyer as is).</summary>
    public static IReadOnlyList<string> Unknown(string? body) =>
        string.IsNullOrEmpty(body) ? [] :
        System.Text.RegularExpressions.Regex.Matches(body, @"\{[^{}\s]{1,40}\}")
            .Select(m => m.Value).Where(p => !All.Contains(p, StringComparer.Ordinal)).Distinct().ToList();
}

/// <summary>A reply template with its placeholders already filled for this ticket, in the agent's language.</summary>
public sealed record FilledTemplate(Guid Id, string Title, TicketCategory? Category, string Body);
