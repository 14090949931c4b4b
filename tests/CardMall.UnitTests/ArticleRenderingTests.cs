using System.Xml.Linq;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Domain.KnowledgeBase;

namespace CardMall.UnitTests;

/// <summary>
/// Articles are written by staff and read by every buyer: whatever an article says, no script from it
/// may run in a reader's browser, while ordinary Markdown still renders.
/// </summary>
public sealed class ArticleRenderingTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Hello <script>alert(1)</script> world")]
    [InlineData("<SCRIPT SRC=//evil.test/x.js></SCRIPT>")]
    [InlineData("<div>\n<script>alert(1)</script>\n</div>")]
    public void Script_tags_are_shown_as_text_and_never_become_elements(string markdown)
    {
        var html = ArticleMarkdown.ToSafeHtml(markdown);

        var root = Parse(html);
        Assert.DoesNotContain(root.Descendants(), e => e.Name.LocalName.Equals("script", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("<script", root.Value, StringComparison.OrdinalIgnoreCase);
        AssertInert(root);
    }

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("Look: <img src=\"x\" onerror=\"alert(1)\"> here")]
    [InlineData("<a href=\"#\" onclick=\"alert(1)\">click</a>")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("<iframe src=\"javascript:alert(1)\"></iframe>")]
    public void Raw_html_with_event_handlers_is_shown_as_text(string markdown)
    {
        var root = Parse(ArticleMarkdown.ToSafeHtml(markdown));

        Assert.DoesNotContain(root.Descendants(), e => e.Name.LocalName is "img" or "svg" or "iframe" or "a");
        AssertInert(root);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JavaScript:alert(1))")]
    [InlineData("[x]( javascript:alert(1) )")]
    [InlineData("[x](&#106;avascript:alert(1))")]
    [InlineData("[x](java&#9;script:alert(1))")]
    [InlineData("[x](vbscript:msgbox(1))")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("[x][evil]\n\n[evil]: javascript:alert(1)")]
    [InlineData("<javascript:alert(1)>")]
    public void Links_to_script_or_data_addresses_keep_their_text_but_lose_the_link(string markdown)
    {
        var root = Parse(ArticleMarkdown.ToSafeHtml(markdown));

        Assert.DoesNotContain(root.Descendants("a"), a => !ArticleMarkdown.IsSafeUrl((string?)a.Attribute("href")));
        AssertInert(root);
        Assert.NotEqual("", root.Value.Trim());
    }

    [Theory]
    [InlineData("![](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)")]
    [InlineData("![pixel](data:image/png;base64,iVBORw0KGgo=)")]
    [InlineData("![x](javascript:alert(1))")]
    public void Images_from_data_or_script_addresses_are_not_shown(string markdown)
    {
        var root = Parse(ArticleMarkdown.ToSafeHtml(markdown));

        Assert.Empty(root.Descendants("img"));
        AssertInert(root);
    }

    [Fact]
    public void Attribute_syntax_cannot_add_event_handlers()
    {
        var root = Parse(ArticleMarkdown.ToSafeHtml("# Title {onclick=\"alert(1)\"}\n\n[x](https://cardmall.test){onmouseover=alert(1)}"));

        AssertInert(root);
    }

    [Fact]
    public void Ordinary_markdown_renders_headings_lists_emphasis_tables_code_and_safe_links()
    {
        const string markdown = """
            ## 使用步骤

            1. 打开 **Steam** 客户端
            2. 选择 *兑换钱包充值码*

            - 地区：中国大陆
            - [查看退款政策](/Help/refund-policy)

            | 错误 | 处理 |
            |---|---|
            | 已被使用 | 联系售后 |

            代码格式：`XXXX-XXXX`

            ```
            ABCD-EFGH-IJKL
            ```

            联系 [客服](mailto:help@cardmall.test) 或访问 [官网](https://store.steampowered.com/)，见 [第 2 步](#step-2)。

            ![示意图](/img/steam.png)
            """;

        var root = Parse(ArticleMarkdown.ToSafeHtml(markdown));

        Assert.Equal("使用步骤", root.Descendants("h2").Single().Value);
        Assert.Equal(2, root.Descendants("ol").Single().Elements("li").Count());
        Assert.Equal("Steam", root.Descendants("strong").Single().Value);
        Assert.Equal("兑换钱包充值码", root.Descendants("em").Single().Value);
        Assert.Equal(2, root.Descendants("ul").Single().Elements("li").Count());
        var table = root.Descendants("table").Single();
        Assert.Contains("table", (string?)table.Attribute("class") ?? "", StringComparison.Ordinal);
        Assert.Equal(["错误", "处理"], table.Descendants("th").Select(th => th.Value));
        Assert.Contains(root.Descendants("code"), c => c.Value == "XXXX-XXXX");
        Assert.Contains("ABCD-EFGH-IJKL", root.Descendants("pre").Single().Value, StringComparison.Ordinal);
        var hrefs = root.Descendants("a").Select(a => (string?)a.Attribute("href")).ToList();
        Assert.Equal(["/Help/refund-policy", "mailto:help@cardmall.test", "https://store.steampowered.com/", "#step-2"], hrefs);
        Assert.Equal("/img/steam.png", (string?)root.Descendants("img").Single().Attribute("src"));
    }

    [Theory]
    [InlineData("https://example.test/a", true)]
    [InlineData("HTTP://example.test", true)]
    [InlineData("mailto:help@cardmall.test", true)]
    [InlineData("/Help/faq-key-invalid", true)]
    [InlineData("faq-key-invalid", true)]
    [InlineData("#step-2", true)]
    [InlineData("?kind=faq", true)]
    [InlineData("/a:b", true)]
    [InlineData("", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(" JAVASCRIPT:alert(1)", false)]
    [InlineData("java\tscript:alert(1)", false)]
    [InlineData("java\nscript:alert(1)", false)]
    [InlineData("vbscript:msgbox(1)", false)]
    [InlineData("data:text/html,<script>alert(1)</script>", false)]
    [InlineData("file:///etc/passwd", false)]
    public void Only_web_mail_and_relative_addresses_are_safe(string url, bool safe) =>
        Assert.Equal(safe, ArticleMarkdown.IsSafeUrl(url));

    [Fact]
    public void The_excerpt_is_the_first_paragraph_as_plain_text_cut_to_length()
    {
        const string markdown = "## 简介\n\n本教程介绍 **Steam 钱包充值码** 的兑换方法，以及常见错误的处理办法，适合第一次使用的玩家。\n\n1. 第一步";

        Assert.Equal("本教程介绍 Steam 钱包充值码 的兑换方法，以及常见错误的处理办法，适合第一次使用的玩家。", ArticleMarkdown.Excerpt(markdown, 200));
        Assert.Equal("本教程介绍 Steam…", ArticleMarkdown.Excerpt(markdown, 12));
        Assert.Equal("", ArticleMarkdown.Excerpt("## only a heading", 50));
        Assert.Equal("Keys are virtual goods: once delivered they…", ArticleMarkdown.Excerpt("Keys are virtual goods: once delivered they can be copied.", 47));
    }

    [Theory]
    [InlineData("tutorial-wow-60", true)]
    [InlineData("faq-key-not-received", true)]
    [InlineData("refund-policy", true)]
    [InlineData("a", true)]
    [InlineData("Tutorial-WOW-60", false)]
    [InlineData("-leading", false)]
    [InlineData("trailing-", false)]
    [InlineData("double--hyphen", false)]
    [InlineData("with space", false)]
    [InlineData("中文", false)]
    [InlineData("", false)]
    public void Slugs_are_lowercase_letters_digits_and_single_hyphens(string slug, bool valid) =>
        Assert.Equal(valid, Article.IsValidSlug(slug));

    [Fact]
    public void A_product_tutorial_slug_follows_the_sku() =>
        Assert.Equal("tutorial-steam-wallet-100", Article.TutorialSlugFor("STEAM-WALLET-100"));

    /// <summary>Markdig writes XHTML-style markup, so the output parses as XML: any stray tag would fail here too.</summary>
    private static XElement Parse(string html) => XElement.Parse("<root>" + html + "</root>", LoadOptions.PreserveWhitespace);

    /// <summary>No event-handler attribute anywhere, and every href/src is a safe address.</summary>
    private static void AssertInert(XElement root)
    {
        foreach (var element in root.DescendantsAndSelf())
        {
            Assert.DoesNotContain(element.Attributes(), a => a.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase));
            foreach (var attribute in element.Attributes().Where(a => a.Name.LocalName is "href" or "src"))
                Assert.True(ArticleMarkdown.IsSafeUrl(attribute.Value), $"unsafe {attribute.Name}=\"{attribute.Value}\"");
        }
    }
}
