using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// The buyer reveals one key of their order. Who, when, from which IP and browser is recorded: the
/// evidence a later dispute needs ("the buyer revealed the key at 10:02").
/// </summary>
public sealed record RevealKey(string OrderNo, Guid ItemId) : ICommand<RevealedKey>;

internal sealed class RevealKeyHandler(ICardMallDb db, OrderReading reading, TimeProvider clock)
    : IRequestHandler<RevealKey, RevealedKey>
{
    public async Task<RevealedKey> Handle(RevealKey request, CancellationToken cancellationToken)
    {
        var order = await reading.FindOwnAsync(request.OrderNo, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));
        var item = order.Items.FirstOrDefault(i => i.Id == request.ItemId)
            ?? throw new NotFoundException(AppText.Get("Orders.ItemNotFound"));
        var key = await db.CardKeys.FirstAsync(k => k.Id == item.CardKeyId, cancellationToken);
        if (key.State == CardKeyState.Void)
            throw new NotFoundException(AppText.Get("Orders.ItemNotFound"));
        if (key.State == CardKeyState.Frozen)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Orders.KeyFrozen"));
        var opened = reading.Open(key, order, CardKeyEventKind.Revealed, "channel:web");
        return new RevealedKey(item.Id, opened.Code, opened.Secret, clock.GetUtcNow());
    }
}

public sealed record RevealedKey(Guid ItemId, string Code, string? Secret, DateTimeOffset RevealedAt)
{
    public override string ToString() => $"RevealedKey({ItemId}, ****)";
}
