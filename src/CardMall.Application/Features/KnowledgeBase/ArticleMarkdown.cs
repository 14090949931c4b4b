using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CardMall.Application.Features.KnowledgeBase;

/// <summary>
/// Turns an article's Markdown into HTML that is safe to put in a page as it is. Articles are written
/// by staff but read by every buyer, so no article may run script in a reader's browser: raw HTML is
/// shown as text, and a link or image whose address is not http, https, mailto or a path on this site
/// loses its address and keeps only its text.
/// </summary>
internal static class ArticleMarkdown
{
    // Extensions chosen one by one: UseAdvancedExtensions would bring generic attributes
    // ({onclick=…}), which let Markdown write event handlers.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .UseBootstrap()
        .DisableHtml()
        .Build();

    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    public static string ToSafeHtml(string? markdown)
    {
        var document = Markdown.Parse(markdown ?? "", Pipeline);

        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (IsSafeUrl(link.Url)) continue;
            // The link text (an image's alt text) stays readable; the address goes.
            link.MoveChildrenAfter(link);
            link.Remove();
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!IsSafeUrl(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url))
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }

        using var writer = new StringWriter();
        // Second line of defence: any address that still reaches the writer is checked again.
        var renderer = new HtmlRenderer(writer) { LinkRewriter = url => IsSafeUrl(url) ? url : "#" };
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>The first paragraph as plain text, cut to <paramref name="maxLength"/> characters: the teaser of a list entry.</summary>
    public static string Excerpt(string? markdown, int maxLength)
    {
        var source = markdown ?? "";
        var document = Markdown.Parse(source, Pipeline);
        var paragraph = document.OfType<ParagraphBlock>().FirstOrDefault();
        if (paragraph is null) return "";
        var plain = Markdown.ToPlainText(source.Substring(paragraph.Span.Start, paragraph.Span.Length), Pipeline);
        var text = string.Join(' ', plain.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= maxLength) return text;
        var cut = text[..(maxLength - 1)];
        // English is cut between words; Chinese, written without spaces, anywhere.
        var lastSpace = cut.LastIndexOf(' ');
        if (lastSpace > maxLength / 2 && !char.IsWhiteSpace(text[maxLength - 1])) cut = cut[..lastSpace];
        return cut.TrimEnd(' ', ',', ';', ':', '，', '；', '：', '、') + "…";
    }

    /// <summary>
    /// True for http, https and mailto addresses and for addresses without a scheme (a path, a query
    /// or an #anchor on this site). Browsers ignore tabs and line breaks inside a scheme
    /// ("java&#9;script:"), so those are removed before the scheme is read.
    /// </summary>
    internal static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrEmpty(url)) return true;
        var compact = string.Concat(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)));
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return true;
        var pathStart = compact.IndexOfAny(['/', '?', '#', '\\']);
        if (pathStart >= 0 && pathStart < colon) return true;
        var scheme = compact[..colon];
        return SafeSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase);
    }
}
