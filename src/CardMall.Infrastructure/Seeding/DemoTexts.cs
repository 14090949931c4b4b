using System.Text.Json;
using CardMall.Domain.Tickets;

namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// What the demo's people write — the buyers' complaints, the agents' replies and notes, the supplier's answers,
/// the desk's reply templates — kept in data files under Seeding/Data (embedded), so that the code tells only what
/// happens and when.
/// </summary>
internal static class DemoTexts
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> Stories = new(() =>
    {
        using var json = JsonDocument.Parse(Read("ticket-stories.json"));
        return json.RootElement.GetProperty("tickets").EnumerateObject().ToDictionary(
            t => t.Name,
            t => (IReadOnlyDictionary<string, string>)t.Value.EnumerateObject().ToDictionary(w => w.Name, w => w.Value.GetString()!));
    });

    /// <summary>One text of a story's ticket (ticket-stories.json); a missing one is a mistake in the data file.</summary>
    public static string Of(string ticket, string text) =>
        Stories.Value.TryGetValue(ticket, out var texts) && texts.TryGetValue(text, out var value)
            ? value
            : throw new InvalidOperationException($"ticket-stories.json has no text '{text}' for '{ticket}'.");

    public static string? OfOrNull(string ticket, string text) =>
        Stories.Value.TryGetValue(ticket, out var texts) && texts.TryGetValue(text, out var value) ? value : null;

    /// <summary>The desk's starting reply templates (reply-templates.json), in both languages.</summary>
    public static IReadOnlyList<(string Title, TicketCategory? Category, string Zh, string En)> Templates()
    {
        using var json = JsonDocument.Parse(Read("reply-templates.json"));
        return json.RootElement.EnumerateArray().Select(t => (
            t.GetProperty("title").GetString()!,
            t.GetProperty("category").GetString() is { } c ? Enum.Parse<TicketCategory>(c) : (TicketCategory?)null,
            t.GetProperty("zh-CN").GetString()!,
            t.GetProperty("en-US").GetString()!)).ToList();
    }

    public static string Read(string file)
    {
        using var stream = typeof(DemoTexts).Assembly.GetManifestResourceStream("CardMall.Demo." + file)
            ?? throw new InvalidOperationException($"The demo's {file} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
