using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Catalog;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// Puts a key check's plan into words: the buyer's message in the buyer's language (a new key and where it is, the
/// usage tutorial and region notes, or that a person is checking), and the agent's internal note — why a person is
/// needed, then the facts side by side — in the language of whoever ran the check (the worker writes Chinese).
/// </summary>
internal sealed class VerificationWording(ICardMallDb db, ICardKeyVault vault, IMediator mediator, IOptions<VerificationOptions> options)
{
    public async Task<(string? BuyerMessage, string? FactsNote)> WordAsync(Ticket ticket, KeyVerification check, VerificationPlan plan,
        VerificationReason reason, string? replacedOnOrder, int replacementsUsed, CancellationToken ct)
    {
        var key = await db.CardKeys.AsNoTracking().FirstAsync(k => k.Id == check.CardKeyId, ct);
        var note = plan.FactsNote ? FactsNote(check, key, ReasonText(reason, check, replacementsUsed)) : null;
        if (plan.Say == BuyerWord.None) return (null, note);

        var preferred = await db.Users.Where(u => u.Id == ticket.BuyerId).Select(u => u.PreferredCulture).FirstOrDefaultAsync(ct);
        var culture = VisitorLanguage.Of(preferred);
        var words = plan.Say switch
        {
            BuyerWord.Replaced => Text("Verification.Buyer.Replaced", culture, replacedOnOrder!),
            BuyerWord.Guidance => await GuidanceAsync(key.ProductId, ticket.OrderId, culture, ct),
            BuyerWord.Anomaly => Text("Verification.Buyer.Anomaly", culture),
            _ => Text("Verification.Buyer.PersonChecking", culture),
        };
        return (words, note);
    }

    /// <summary>The usage tutorial (knowledge base) and the regions of the notices the buyer accepted, in the buyer's language.</summary>
    private async Task<string> GuidanceAsync(Guid productId, Guid? orderId, CultureInfo culture, CancellationToken ct)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == productId).Select(p => new { p.Sku, p.Regions }).FirstAsync(ct);
        var accepted = orderId is null ? null : await (from o in db.Orders
                                                       join n in db.ProductNotices on new { o.ProductId, Version = o.NoticesVersion }
                                                           equals new { n.ProductId, n.Version }
                                                       where o.Id == orderId && o.ProductId == productId
                                                       select n.Regions).FirstOrDefaultAsync(ct);
        var regions = ProductReading.SplitRegions(accepted ?? product.Regions);
        var tutorial = await mediator.Send(new FindTutorial(product.Sku), ct);

        var lines = new List<string> { Text("Verification.Buyer.Guidance", culture) };
        lines.Add(tutorial is not null
            ? Text("Verification.Buyer.Tutorial", culture, "/Help/" + tutorial.Slug)
            : Text("Verification.Buyer.HelpCentre", culture, "/Help"));
        if (regions.Count > 0)
            lines.Add(Text("Verification.Buyer.Regions", culture, string.Join(Text("Verification.ListSeparator", culture), regions)));
        lines.Add(Text("Verification.Buyer.GuidanceEnd", culture));
        return string.Join("\n", lines);
    }

    /// <summary>When the buyer first saw the key, when the supplier says it was redeemed, when it was sold — for the agent.</summary>
    private string FactsNote(KeyVerification v, CardKey key, string reason)
    {
        var never = AppText.Get("Verification.Never");
        // Seconds count here: a reveal and a redemption within one minute are exactly what an agent must tell apart.
        string At(DateTimeOffset? at) =>
            at is { } t ? TimeZoneInfo.ConvertTime(t, ShopTime.Zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : never;
        var answer = v.Answer is { } a ? AppText.Get("Verification.Answer." + a) : never;
        return string.Join("\n",
            AppText.Format("Verification.Note.Heading", CardKeyMask.Mask(vault.Open(key).Code), reason),
            AppText.Format("Verification.Note.Revealed", At(v.FirstRevealedAt)),
            AppText.Format("Verification.Note.Redeemed", At(v.SupplierRedeemedAt)),
            AppText.Format("Verification.Note.Sold", At(v.SoldAt)),
            AppText.Format("Verification.Note.Answer", answer, v.SupplierLatencyMs?.ToString(CultureInfo.InvariantCulture) ?? "—"),
            AppText.Format("Verification.Note.Activations", v.ActivationCount),
            AppText.Format("Verification.Note.SoldToBuyer", AppText.Get(v.SoldToBuyer ? "Verification.Yes" : "Verification.No")));
    }

    private string ReasonText(VerificationReason reason, KeyVerification v, int replacementsUsed) => reason switch
    {
        VerificationReason.CapReached => AppText.Format("Verification.Reason.CapReached",
            (int)Math.Round(options.Value.ReplacementCapWindow.TotalDays), replacementsUsed, options.Value.ReplacementCap),
        VerificationReason.Anomaly => AppText.Format("Verification.Reason.Anomaly", v.SupplierError ?? "unreachable"),
        VerificationReason.None or VerificationReason.TicketSettled => AppText.Get("Verification.Reason.NotDecided"),
        _ => AppText.Get("Verification.Reason." + reason),
    };

    private static string Text(string key, CultureInfo culture, params object[] args) =>
        string.Format(culture, AppText.Get(key, culture), args);
}
