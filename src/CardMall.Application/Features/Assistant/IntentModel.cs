using System.Globalization;
using System.Text;

namespace CardMall.Application.Features.Assistant;

/// <summary>The assistant's intents, as the API names them (api.md).</summary>
public static class Intents
{
    public const string KeyLookup = "key_lookup";
    public const string UsageGuide = "usage_guide";
    public const string KeyInvalid = "key_invalid";
    public const string KeyAlreadyUsed = "key_already_used";
    public const string RefundPolicy = "refund_policy";
    public const string TicketStatus = "ticket_status";
    public const string NotReceived = "not_received";
    public const string AccountSecurity = "account_security";
    public const string HumanAgent = "human_agent";
    public const string Greeting = "greeting";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All =
        [KeyLookup, UsageGuide, KeyInvalid, KeyAlreadyUsed, RefundPolicy, TicketStatus, NotReceived, AccountSecurity, HumanAgent, Greeting, Other];
}

/// <summary>One labelled example from Examples/&lt;culture&gt;.tsv.</summary>
public sealed record LabelledExample(string Intent, string Text, string Culture);

/// <summary>
/// What a message most likely asks, with the model's probability for it and the runners-up (for a
/// clarifying question when it is unsure).
/// </summary>
public sealed record IntentGuess(string Intent, double Confidence, IReadOnlyList<(string Intent, double Probability)> Ranked);

/// <summary>
/// The assistant's understanding: a multinomial logistic regression over character n-grams (1–3 for
/// Chinese, 2–4 inside words for Latin script) and English words, trained when the app starts from the
/// labelled examples kept in the repository (ADR 0015). Nothing is downloaded and nothing leaves the
/// process; training the ~1,300 examples takes well under a second. Deterministic: the same examples
/// give the same model.
/// </summary>
public sealed class IntentModel
{
    /// <summary>Every fifth example of each intent and language is held out: never trained on, only used to measure accuracy.</summary>
    public const int HoldOutEvery = 5;

    private const int Epochs = 40;
    private const double LearningRate = 0.5;
    private const double L2 = 1e-5;

    private readonly Dictionary<string, int> _vocabulary;
    private readonly double[][] _weights; // [intent][feature]; the last feature is the bias
    private readonly string[] _intents;

    private IntentModel(Dictionary<string, int> vocabulary, double[][] weights, string[] intents) =>
        (_vocabulary, _weights, _intents) = (vocabulary, weights, intents);

    /// <summary>The examples shipped with the app (embedded Examples/zh-CN.tsv and Examples/en-US.tsv).</summary>
    public static IReadOnlyList<LabelledExample> ShippedExamples()
    {
        var assembly = typeof(IntentModel).Assembly;
        var examples = new List<LabelledExample>();
        foreach (var culture in new[] { "zh-CN", "en-US" })
        {
            var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith($"Examples.{culture}.tsv", StringComparison.Ordinal));
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!, Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                if (tab <= 0 || line.StartsWith('#')) continue;
                examples.Add(new LabelledExample(line[..tab].Trim(), line[(tab + 1)..].Trim(), culture));
            }
        }
        return examples;
    }

    /// <summary>Splits examples into the part trained on and the held-out part, the same way every time.</summary>
    public static (IReadOnlyList<LabelledExample> Train, IReadOnlyList<LabelledExample> HeldOut) Split(IReadOnlyList<LabelledExample> examples)
    {
        var train = new List<LabelledExample>();
        var heldOut = new List<LabelledExample>();
        foreach (var group in examples.GroupBy(e => (e.Intent, e.Culture)))
        {
            var i = 0;
            foreach (var e in group) (++i % HoldOutEvery == 0 ? heldOut : train).Add(e);
        }
        return (train, heldOut);
    }

    /// <summary>The model the app uses: trained on the shipped examples minus the held-out part.</summary>
    public static IntentModel TrainShipped() => Train(Split(ShippedExamples()).Train);

    public static IntentModel Train(IReadOnlyList<LabelledExample> examples)
    {
        var intents = Intents.All.ToArray();
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = examples.Select(e => (Label: Array.IndexOf(intents, e.Intent), Features: Index(Features(e.Text), vocabulary, grow: true)))
            .Where(r => r.Label >= 0).ToArray();
        var width = vocabulary.Count + 1;
        var weights = intents.Select(_ => new double[width]).ToArray();

        // Plain stochastic gradient descent on the softmax loss, in a fixed shuffled order (seeded): the
        // features are sparse and few, so this converges in a few dozen passes.
        var random = new Random(20261122);
        var order = Enumerable.Range(0, rows.Length).ToArray();
        var scores = new double[intents.Length];
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order);
            var rate = LearningRate / (1 + epoch * 0.1);
            foreach (var r in order)
            {
                var (label, features) = rows[r];
                Probabilities(weights, features, width - 1, scores);
                for (var k = 0; k < intents.Length; k++)
                {
                    var gradient = scores[k] - (k == label ? 1 : 0);
                    var w = weights[k];
                    foreach (var (f, v) in features) w[f] -= rate * (gradient * v + L2 * w[f]);
                    w[width - 1] -= rate * gradient;
                }
            }
        }
        return new IntentModel(vocabulary, weights, intents);
    }

    public IntentGuess Classify(string text)
    {
        var features = Index(Features(text), _vocabulary, grow: false);
        var probabilities = new double[_intents.Length];
        Probabilities(_weights, features, _vocabulary.Count, probabilities);
        var ranked = _intents.Select((intent, k) => (Intent: intent, Probability: probabilities[k]))
            .OrderByDescending(x => x.Probability).ToList();
        return new IntentGuess(ranked[0].Intent, ranked[0].Probability, ranked);
    }

    private static void Probabilities(double[][] weights, (int Feature, double Value)[] features, int bias, double[] into)
    {
        var max = double.NegativeInfinity;
        for (var k = 0; k < weights.Length; k++)
        {
            var s = weights[k][bias];
            foreach (var (f, v) in features) s += weights[k][f] * v;
            into[k] = s;
            max = Math.Max(max, s);
        }
        var sum = 0.0;
        for (var k = 0; k < into.Length; k++) sum += into[k] = Math.Exp(into[k] - max);
        for (var k = 0; k < into.Length; k++) into[k] /= sum;
    }

    /// <summary>Feature ids with L2-normalised counts (a long message does not shout louder than a short one).</summary>
    private static (int Feature, double Value)[] Index(Dictionary<string, int> counts, Dictionary<string, int> vocabulary, bool grow)
    {
        var indexed = new List<(int, double)>(counts.Count);
        var norm = Math.Sqrt(counts.Values.Sum(c => (double)c * c));
        foreach (var (feature, count) in counts)
        {
            if (!vocabulary.TryGetValue(feature, out var id))
            {
                if (!grow) continue;
                vocabulary[feature] = id = vocabulary.Count;
            }
            indexed.Add((id, count / norm));
        }
        return indexed.ToArray();
    }

    /// <summary>
    /// Character n-grams of the normalised text: Chinese runs give 1- to 3-grams (a word is two or three
    /// characters and there are no spaces), Latin words give 2- to 4-grams inside "_word_" (robust to
    /// typos) and the word itself; digits collapse to one symbol so order numbers do not become features.
    /// </summary>
    internal static Dictionary<string, int> Features(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(string f) => counts[f] = counts.GetValueOrDefault(f) + 1;
        var normal = Normalise(text);
        foreach (var run in Runs(normal))
        {
            if (run.IsHan)
            {
                var s = run.Text;
                for (var n = 1; n <= 3; n++)
                    for (var i = 0; i + n <= s.Length; i++) Add(string.Concat("h", s.AsSpan(i, n)));
                // A short run's edges ("在吗", "谢谢") say a lot on their own.
                Add("h^" + s[..Math.Min(2, s.Length)]);
            }
            else
            {
                var w = "_" + run.Text + "_";
                Add("w" + run.Text);
                for (var n = 2; n <= 4; n++)
                    for (var i = 0; i + n <= w.Length; i++) Add(string.Concat("c", w.AsSpan(i, n)));
            }
        }
        if (counts.Count == 0) Add("empty");
        return counts;
    }

    private static string Normalise(string text)
    {
        // Full-width forms (ＡＢＣ，１２３) fold to ASCII; case and digits do not matter.
        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded) sb.Append(char.IsDigit(c) ? '0' : c);
        return sb.ToString();
    }

    private static IEnumerable<(string Text, bool IsHan)> Runs(string text)
    {
        var sb = new StringBuilder();
        bool? han = null;
        foreach (var c in text)
        {
            var isHan = IsHanCharacter(c);
            var isWord = isHan || char.IsLetterOrDigit(c);
            if (!isWord || (han is { } h && h != isHan))
            {
                if (sb.Length > 0) yield return (sb.ToString(), han!.Value);
                sb.Clear();
                han = null;
                if (!isWord) continue;
            }
            sb.Append(c);
            han = isHan;
        }
        if (sb.Length > 0) yield return (sb.ToString(), han!.Value);
    }

    private static bool IsHanCharacter(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter && c >= '\u2E80' && c <= '\u9FFF';
}
