using CardMall.Application.Features.Assistant;

namespace CardMall.UnitTests.Assistant;

/// <summary>
/// The rules the model may never overrule: a buyer who asks for a person gets one, a number is what it names,
/// the reply comes in the language the buyer wrote in, and the assistant asks rather than guesses when unsure.
/// </summary>
public sealed class IntentClassifierTests
{
    private static readonly Lazy<IIntentClassifier> Classifier = new(() => new IntentClassifier(IntentModel.TrainShipped()));

    [Theory]
    [InlineData("转人工")]
    [InlineData("我的卡密不能用，转人工")]
    [InlineData("I want to talk to a person about my refund")]
    [InlineData("live agent please")]
    public void Asking_for_a_person_always_means_a_person(string text)
    {
        var understood = Classifier.Value.Understand(text);
        Assert.Equal(Intents.HumanAgent, understood.Intent);
        Assert.False(understood.Clarify);
    }

    [Fact]
    public void A_bare_order_number_is_a_question_about_that_order_and_is_read_in_upper_case()
    {
        var understood = Classifier.Value.Understand("cm20261201123456789");
        Assert.Equal(Intents.KeyLookup, understood.Intent);
        Assert.Equal("CM20261201123456789", understood.OrderNo);
        Assert.False(understood.Clarify);
    }

    [Fact]
    public void A_bare_ticket_number_is_a_question_about_that_ticket()
    {
        var understood = Classifier.Value.Understand("TK20261201000042");
        Assert.Equal(Intents.TicketStatus, understood.Intent);
        Assert.Equal("TK20261201000042", understood.TicketNo);
    }

    [Fact]
    public void A_number_does_not_sway_what_the_words_ask()
    {
        var understood = Classifier.Value.Understand("订单 CM20261201123456789 的卡密提示无效");
        Assert.Equal(Intents.KeyInvalid, understood.Intent);
        Assert.Equal("CM20261201123456789", understood.OrderNo);
    }

    [Theory]
    [InlineData("我的卡密在哪里", "zh-CN")]
    [InlineData("where is my key", "en-US")]
    public void The_answer_comes_in_the_language_the_buyer_wrote_in(string text, string culture) =>
        Assert.Equal(culture, Classifier.Value.Understand(text).Culture.Name);

    [Fact]
    public void A_vague_message_gets_a_clarifying_question_with_the_likely_intents_to_choose_from()
    {
        var understood = Classifier.Value.Understand("what about it");
        Assert.True(understood.Clarify);
        Assert.Equal(3, understood.Likely.Count);
        Assert.Equal(understood.Intent, understood.Likely[0]);
        Assert.All(understood.Likely, i => Assert.Contains(i, Intents.All));
    }
}
