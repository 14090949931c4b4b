using System.Globalization;
using System.Text;
using CardMall.Application.Features.Assistant;
using Xunit.Abstractions;

namespace CardMall.UnitTests.Assistant;

/// <summary>
/// How well the assistant understands buyers, measured honestly: the model is trained without the held-out
/// fifth of the labelled examples and judged on that fifth only. The per-intent confusion is printed (and
/// written to test-output/assistant-confusion.md) for docs/assistant.md.
/// </summary>
public sealed class IntentModelTests(ITestOutputHelper output)
{
    private static readonly Lazy<IntentModel> Shipped = new(IntentModel.TrainShipped);

    [Fact]
    public void The_model_gets_at_least_90_percent_of_the_held_out_examples_right()
    {
        var (train, heldOut) = IntentModel.Split(IntentModel.ShippedExamples());
        Assert.True(heldOut.Count >= 200, $"Only {heldOut.Count} held-out examples.");
        Assert.Empty(heldOut.Select(h => (h.Culture, h.Text)).Intersect(train.Select(t => (t.Culture, t.Text))));

        var model = IntentModel.Train(train);
        var guesses = heldOut.Select(e => (e.Intent, e.Culture, Guess: model.Classify(e.Text).Intent)).ToList();
        var accuracy = (double)guesses.Count(g => g.Guess == g.Intent) / guesses.Count;

        var report = Report(guesses, accuracy);
        output.WriteLine(report);
        var folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "test-output");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "assistant-confusion.md"), report);

        Assert.True(accuracy >= 0.90, $"Held-out accuracy {accuracy:P1} is below 90 %.\n{report}");
        foreach (var culture in new[] { "zh-CN", "en-US" })
        {
            var part = guesses.Where(g => g.Culture == culture).ToList();
            Assert.True((double)part.Count(g => g.Guess == g.Intent) / part.Count >= 0.85, $"{culture} alone is below 85 %.");
        }
    }

    [Fact]
    public void Every_intent_has_at_least_40_labelled_examples_in_each_language()
    {
        var counts = IntentModel.ShippedExamples().GroupBy(e => (e.Intent, e.Culture)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var intent in Intents.All)
            foreach (var culture in new[] { "zh-CN", "en-US" })
                Assert.True(counts.GetValueOrDefault((intent, culture)) >= 40, $"{intent} in {culture}: {counts.GetValueOrDefault((intent, culture))}");
        Assert.All(IntentModel.ShippedExamples(), e => Assert.Contains(e.Intent, Intents.All));
    }

    [Theory]
    [InlineData("卡密用不了", Intents.KeyInvalid)]
    [InlineData("充值码显示已使用", Intents.KeyAlreadyUsed)]
    [InlineData("my code says already redeemed", Intents.KeyAlreadyUsed)]
    [InlineData("转人工", Intents.HumanAgent)]
    [InlineData("人工客服", Intents.HumanAgent)]
    [InlineData("我的卡密在哪里看", Intents.KeyLookup)]
    [InlineData("where can i see the code i bought", Intents.KeyLookup)]
    [InlineData("steam充值码怎么用啊", Intents.UsageGuide)]
    [InlineData("how do i redeem this on battle net", Intents.UsageGuide)]
    [InlineData("能退款吗", Intents.RefundPolicy)]
    [InlineData("can i get my money back", Intents.RefundPolicy)]
    [InlineData("我的工单TK20261121123456789处理到哪了", Intents.TicketStatus)]
    [InlineData("any update on my ticket", Intents.TicketStatus)]
    [InlineData("付了钱没收到卡密", Intents.NotReceived)]
    [InlineData("paid but didnt recieve anything", Intents.NotReceived)]
    [InlineData("我的账号好像被别人登录了", Intents.AccountSecurity)]
    [InlineData("someone logged into my account", Intents.AccountSecurity)]
    [InlineData("你好", Intents.Greeting)]
    [InlineData("thanks", Intents.Greeting)]
    public void The_shipped_model_understands_the_common_phrasings(string text, string intent) =>
        Assert.Equal(intent, Shipped.Value.Classify(text).Intent);

    private static string Report(List<(string Intent, string Culture, string Guess)> guesses, double accuracy)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Held-out examples: {guesses.Count}; accuracy {accuracy:P1} " +
            $"(zh-CN {Share("zh-CN"):P1}, en-US {Share("en-US"):P1}).");
        sb.AppendLine();
        sb.AppendLine("| actual \\ predicted | " + string.Join(" | ", Intents.All) + " | recall |");
        sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", Intents.All.Count + 1)));
        foreach (var actual in Intents.All)
        {
            var row = guesses.Where(g => g.Intent == actual).ToList();
            var cells = Intents.All.Select(p => row.Count(g => g.Guess == p)).Select(n => n == 0 ? "·" : n.ToString(inv));
            var recall = row.Count == 0 ? "—" : ((double)row.Count(g => g.Guess == actual) / row.Count).ToString("P0", inv);
            sb.AppendLine(inv, $"| {actual} | {string.Join(" | ", cells)} | {recall} |");
        }
        return sb.ToString();

        double Share(string culture)
        {
            var part = guesses.Where(g => g.Culture == culture).ToList();
            return part.Count == 0 ? 0 : (double)part.Count(g => g.Guess == g.Intent) / part.Count;
        }
    }
}
