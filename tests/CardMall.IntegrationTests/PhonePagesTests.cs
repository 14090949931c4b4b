using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests;

/// <summary>
/// What a phone on a slow network gets: stylesheets and scripts compressed, under fingerprinted URLs it
/// may keep for a year; a favicon instead of a 404 on every page; and a description of each storefront
/// page, in the visitor's language, for the search result that brings them.
/// </summary>
public sealed class PhonePagesTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private readonly TestShop _shop = new(shop.Factory);

    [Fact]
    public async Task Stylesheets_and_scripts_come_compressed_under_fingerprinted_urls_kept_for_a_year()
    {
        using var web = new WebSession(shop.Factory);
        var home = await web.GetAsync("/");
        var assets = home.Document.QuerySelectorAll("link[rel=stylesheet]").Select(l => l.GetAttribute("href")!)
            .Concat(home.Document.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!))
            .ToList();
        Assert.Contains(assets, a => a.StartsWith("/lib/bootstrap/css/bootstrap.min.", StringComparison.Ordinal));

        foreach (var url in assets)
        {
            // The file's fingerprint is in its name: a new version is a new URL, so the old one may be kept.
            Assert.Matches(@"\.[a-z0-9]{10}\.(css|js)$", url);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var response = await web.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
            Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
            Assert.Contains("immutable", response.Headers.CacheControl!.Extensions.Select(e => e.Name));
            var sent = await response.Content.ReadAsByteArrayAsync();
            await using var unzip = new GZipStream(new MemoryStream(sent), CompressionMode.Decompress);
            using var file = new MemoryStream();
            await unzip.CopyToAsync(file);
            Assert.True(sent.Length < file.Length, $"{url}: {sent.Length} bytes sent for a {file.Length}-byte file");
        }
    }

    [Fact]
    public async Task Every_page_names_its_icon_and_the_icon_a_browser_asks_for_by_itself_exists()
    {
        using var web = new WebSession(shop.Factory);
        var home = await web.GetAsync("/");
        var icon = home.Document.QuerySelector("link[rel=icon]")?.GetAttribute("href");
        Assert.NotNull(icon);

        using var svg = await web.Client.GetAsync(icon);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        using var ico = await web.Client.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, ico.StatusCode);
        Assert.Equal("image/x-icon", ico.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("zh-CN", "星光点卡 30 元", "卡密")]
    [InlineData("en-US", "Starlight Card 30", "card keys")]
    public async Task Each_storefront_page_describes_itself_in_the_visitors_language(string language, string productName, string shopWords)
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, nameZh: "星光点卡 30 元", nameEn: "Starlight Card 30");
        using var web = new WebSession(shop.Factory, language);

        var descriptions = new Dictionary<string, string>();
        foreach (var url in new[] { "/", "/Category/game-cards", $"/Products/{sku}", "/Search?q=star", "/Help" })
        {
            var page = await web.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var description = page.Document.QuerySelector("head meta[name=description]")?.GetAttribute("content");
            Assert.False(string.IsNullOrWhiteSpace(description), $"{url} has no description");
            descriptions[url] = description!;
        }

        Assert.Contains(productName, descriptions[$"/Products/{sku}"], StringComparison.Ordinal);
        Assert.Contains(shopWords, descriptions["/"], StringComparison.Ordinal);
        // Each page says what it is, rather than one sentence for the whole shop.
        Assert.Equal(descriptions.Count, descriptions.Values.Distinct(StringComparer.Ordinal).Count());
    }
}
