using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;

namespace CardMall.UnitTests.CardKeys;

public sealed class KeyBatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Operator = Guid.NewGuid();

    private static KeyBatch NewBatch() => new(Guid.NewGuid(), Guid.NewGuid(), 1m, null, Operator, "hash", Now);

    [Fact]
    public void A_freeze_takes_the_keys_still_for_sale_off_sale_remembering_the_operator_and_the_reason()
    {
        var batch = NewBatch();

        var move = batch.Freeze(Operator, "supplier recall", Now);

        Assert.True(batch.IsFrozen);
        Assert.Equal(new BatchKeyMove(batch.Id, CardKeyState.Available, null, CardKeyState.Frozen, CardKeyEventKind.Frozen, Operator, "supplier recall", Now), move);
    }

    [Fact]
    public void A_frozen_batch_cannot_be_frozen_again_by_an_operator()
    {
        var batch = NewBatch();
        batch.Freeze(Operator, "first", Now);

        var refused = Assert.Throws<RuleBrokenException>(() => batch.Freeze(Operator, "second", Now));

        Assert.Equal("Admin.Batches.AlreadyFrozen", refused.MessageKey);
    }

    [Fact]
    public void An_incident_freezes_the_batch_whether_or_not_an_operator_froze_it_first_and_names_itself_on_each_key()
    {
        var batch = NewBatch();
        batch.Freeze(Operator, "first", Now);

        var move = batch.FreezeForIncident("INC1", Now);

        Assert.True(batch.IsFrozen);
        Assert.Null(move.Actor);
        Assert.Equal("incident INC1", move.Reason);
        Assert.Equal(CardKeyState.Available, move.From);
    }

    [Fact]
    public void A_release_puts_back_on_sale_only_the_keys_the_freeze_took_off_sale()
    {
        var batch = NewBatch();
        batch.Freeze(Operator, "recall", Now);

        var move = batch.Release(Operator, "supplier made good", Now);

        Assert.False(batch.IsFrozen);
        Assert.Equal(new BatchKeyMove(batch.Id, CardKeyState.Frozen, CardKeyState.Available, CardKeyState.Available, CardKeyEventKind.Unfrozen, Operator, "supplier made good", Now), move);
    }

    [Fact]
    public void A_batch_that_is_not_frozen_cannot_be_released()
    {
        var refused = Assert.Throws<RuleBrokenException>(() => NewBatch().Release(Operator, "why", Now));

        Assert.Equal("Admin.Batches.NotFrozen", refused.MessageKey);
    }
}

public sealed class SellableKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static CardKey Key(DateTimeOffset? expiresAt) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), [1], [2], null, 1, expiresAt, Now.AddDays(-1));

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    public void An_available_key_can_be_sold_until_it_expires_and_for_ever_without_an_expiry(int? expiresInMinutes, bool sellable)
    {
        var key = Key(expiresInMinutes is { } m ? Now.AddMinutes(m) : null);

        Assert.Equal(sellable, key.IsSellableAt(Now));
        Assert.Equal(sellable, CardKey.SellableAt(Now).Compile()(key));
    }

    [Fact]
    public void A_sold_or_frozen_key_cannot_be_sold()
    {
        var sold = Key(null);
        sold.Sell(Guid.NewGuid(), Guid.NewGuid(), Now);
        var frozen = Key(null);
        frozen.Freeze(null, "risk", Now);

        Assert.False(sold.IsSellableAt(Now));
        Assert.False(frozen.IsSellableAt(Now));
    }
}
