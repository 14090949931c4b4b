namespace CardMall.Domain.Tickets;

/// <summary>
/// Recognises evidence images by their first bytes, not their names: a text file called shot.png is not
/// an image, and a browser told it is one could be tricked into running it.
/// </summary>
public static class EvidenceImage
{
    /// <summary>image/png, image/jpeg or image/webp; null for anything else.</summary>
    public static string? DetectContentType(ReadOnlySpan<byte> content)
    {
        if (content.Length >= 8 && content[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
            return "image/png";
        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF)
            return "image/jpeg";
        if (content.Length >= 12 && content[..4].SequenceEqual("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8))
            return "image/webp";
        return null;
    }
}
