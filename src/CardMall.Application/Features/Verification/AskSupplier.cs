using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Verification;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Verification;

/// <summary>
/// The second step of <see cref="RunVerification"/>, with no transaction open (a query, not a command): what our own
/// records say about the key — sold on this buyer's order, its state, when it was sold, first revealed, how many
/// activation attempts it had — and, when <see cref="VerificationPolicy.ShouldAsk"/>, what the supplier says. The
/// plain key is opened only to be handed to the gateway, and never logged.
/// </summary>
public sealed record AskSupplier(Guid VerificationId, int Attempt) : IRequest<SupplierAsked>;

internal sealed class AskSupplierHandler(
    ICardMallDb db, ICardKeyVault vault, IEnumerable<ISupplierGateway> gateways, IOptions<VerificationOptions> options, ILogger<AskSupplierHandler> logger)
    : IRequestHandler<AskSupplier, SupplierAsked>
{
    public async Task<SupplierAsked> Handle(AskSupplier request, CancellationToken ct)
    {
        var check = await db.KeyVerifications.AsNoTracking().FirstAsync(v => v.Id == request.VerificationId, ct);
        var key = await db.CardKeys.AsNoTracking().FirstAsync(k => k.Id == check.CardKeyId, ct);
        var facts = await ReadFactsAsync(check, key, ct);
        if (!VerificationPolicy.ShouldAsk(facts.SoldToBuyer, key.State == CardKeyState.Void, request.Attempt, options.Value.MaxAttempts))
            return new SupplierAsked(facts, null);

        var supplier = await (from b in db.KeyBatches
                              join s in db.Suppliers on b.SupplierId equals s.Id
                              where b.Id == key.BatchId
                              select s).AsNoTracking().FirstAsync(ct);
        if (gateways.For(supplier) is not { } gateway) return new SupplierAsked(facts, new SupplierKeyStatus(SupplierAnswer.Unreachable, null, "no_gateway", 0));
        try
        {
            return new SupplierAsked(facts, await gateway.QueryKeyAsync(supplier, vault.Open(key), ct));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The gateway should answer Unreachable itself; if it throws anyway the ticket still goes to a person.
            // Only the exception's type is logged: its message might quote the request, and the request holds the key.
            logger.LogWarning("Supplier gateway {Protocol} threw {ExceptionType} during verification {VerificationId}",
                gateway.Protocol, e.GetType().Name, check.Id);
            return new SupplierAsked(facts, new SupplierKeyStatus(SupplierAnswer.Unreachable, null, "gateway_error", 0));
        }
    }

    private async Task<KeyFacts> ReadFactsAsync(KeyVerification check, CardKey key, CancellationToken ct)
    {
        var buyerId = check.TicketId is { } tid
            ? await db.Tickets.Where(t => t.Id == tid).Select(t => (Guid?)t.BuyerId).FirstOrDefaultAsync(ct)
            : check.RequestedBy;
        var sale = check.OrderItemId is { } itemId
            ? await (from i in db.OrderItems
                     join o in db.Orders on i.OrderId equals o.Id
                     where i.Id == itemId
                     select new { i.CardKeyId, OrderId = o.Id, o.UserId }).FirstOrDefaultAsync(ct)
            : null;
        var soldToBuyer = sale is not null && buyerId is { } buyer && sale.UserId == buyer && sale.CardKeyId == key.Id && key.OrderId == sale.OrderId;
        var firstRevealedAt = await db.CardKeyEvents
            .Where(e => e.CardKeyId == key.Id && (e.Kind == CardKeyEventKind.Revealed || e.Kind == CardKeyEventKind.Downloaded))
            .MinAsync(e => (DateTimeOffset?)e.At, ct);
        var activations = await db.ActivationEvents.CountAsync(e => e.CardKeyId == key.Id, ct);
        return new KeyFacts(soldToBuyer, key.State, key.SoldAt, firstRevealedAt, activations);
    }
}

/// <summary>What our records say about the key when it was checked.</summary>
public sealed record KeyFacts(bool SoldToBuyer, CardKeyState KeyState, DateTimeOffset? SoldAt, DateTimeOffset? FirstRevealedAt, int Activations);

/// <summary>Our records, and the supplier's answer (null when the policy did not ask).</summary>
public sealed record SupplierAsked(KeyFacts Facts, SupplierKeyStatus? Supplier);
