namespace CardMall.Domain.CardKeys;

/// <summary>
/// The one way a card key is shown masked — staff pages, ticket text and reply templates, the assistant's
/// answers and transcripts, the buyer's ticket page, the sandbox supplier's page: <c>****</c> and at most the
/// last 4 characters. Enough to tell keys apart and to read one back to a buyer; never enough to use one,
/// even with a screenshot of two pages side by side. Short keys show less, so that most of a key stays hidden.
/// </summary>
public static class CardKeyMask
{
    /// <summary>The most of a key a mask ever shows.</summary>
    public const int MaxShown = 4;

    public static string Mask(string code)
    {
        // Spaces and dashes are how suppliers print keys, not part of them: the visible tail is real characters.
        var plain = new string(code.Where(char.IsLetterOrDigit).ToArray());
        return plain.Length switch
        {
            >= 12 => "****" + plain[^MaxShown..],
            >= 8 => "****" + plain[^2..],
            _ => "****",
        };
    }
}
