using System.Text.Encodings.Web;
using CardMall.Web.Pages.Admin.Tickets;

namespace CardMall.UnitTests.Tickets;

/// <summary>
/// The system's usage guidance names help articles by path; on the ticket page the buyer must be able to
/// click them, while anything else a message says (a buyer's text above all) stays plain, encoded text.
/// </summary>
public sealed class MessageLinkTests
{
    private static string Html(string body)
    {
        using var writer = new StringWriter();
        TicketDisplay.Linked(body).WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    [Fact]
    public void Help_article_paths_become_links_and_the_rest_stays_text()
    {
        var html = Html("使用教程：/Help/wow-card-redeem 。仍有问题请看 /Help。");

        Assert.Contains("<a href=\"/Help/wow-card-redeem\" data-testid=\"help-link\">/Help/wow-card-redeem</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/Help\" data-testid=\"help-link\">/Help</a>", html, StringComparison.Ordinal);
        Assert.StartsWith("使用教程：", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Markup_and_foreign_addresses_in_a_message_are_never_links()
    {
        var html = Html("<script>alert(1)</script> see https://evil.example/Help/x or //evil.example/Help and C:/Help/x");

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<a ", html, StringComparison.Ordinal);
    }
}
