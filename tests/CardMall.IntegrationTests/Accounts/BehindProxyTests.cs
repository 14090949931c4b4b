using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Npgsql;

namespace CardMall.IntegrationTests.Accounts;

/// <summary>
/// Behind a TLS proxy (issue 14, items 9 and 11): only a configured proxy may say who the client is and that
/// the request came over HTTPS; cookies are Secure and SameSite; HSTS and the HTTPS redirect follow the
/// settings; and the Data Protection keys in the database are sealed with the configured certificate.
/// </summary>
public sealed class BehindProxyTests(AccountSecurityFixture shop) : IClassFixture<AccountSecurityFixture>
{
    private ShopFactory App => shop.Factory;

    private const string Client = "203.0.113.50";

    [Fact]
    public async Task A_reveal_through_the_trusted_proxy_records_the_client_s_address()
    {
        var (orderNo, client) = await OrderAsync();

        await ReadOrderAsync(client, orderNo, peer: AccountSecurityFixture.TrustedProxy, forwardedFor: Client);

        Assert.Equal(Client, await LastRevealIpAsync(orderNo));
    }

    [Fact]
    public async Task A_forwarded_address_from_anyone_else_is_not_believed()
    {
        var (orderNo, client) = await OrderAsync();
        const string stranger = "198.51.100.23";

        await ReadOrderAsync(client, orderNo, peer: stranger, forwardedFor: Client);

        Assert.Equal(stranger, await LastRevealIpAsync(orderNo));
    }

    [Fact]
    public async Task Hsts_is_sent_over_https_from_the_trusted_proxy_and_plain_http_is_redirected_when_switched_on()
    {
        await using var node = shop.WithSettings(new Dictionary<string, string?> { ["CardMall:Https:RedirectHttp"] = "true" });
        var client = node.ApiClient(null);

        using var viaProxy = Request("/", AccountSecurityFixture.TrustedProxy, Client, "https");
        var secure = await client.SendAsync(viaProxy);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.StartsWith("max-age=31536000", secure.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        // A stranger claiming HTTPS is still plain HTTP: sent to HTTPS, and no HSTS on a plain answer.
        using var spoofed = Request("/", "198.51.100.24", Client, "https");
        var plain = await client.SendAsync(spoofed);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.StartsWith("https://", plain.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Outside_development_every_cookie_is_secure_and_same_site()
    {
        await using var node = shop.WithSettings(new Dictionary<string, string?> { ["CardMall:Https:SecureCookies"] = null });
        var client = node.ApiClient(null);

        using var login = Request("/Account/Login", AccountSecurityFixture.TrustedProxy, Client, "https");
        var page = await client.SendAsync(login);

        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, c => Assert.Contains("samesite=", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Data_protection_keys_are_stored_sealed_and_sign_in_cookies_still_work()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = new WebSession(App);
        Assert.Equal(HttpStatusCode.Redirect, (await web.SignInAsync(buyer.Email, buyer.Password)).Status);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/Account/Manage")).Status);

        await using var conn = new NpgsqlConnection(shop.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT xml FROM data_protection_keys", conn);
        var keys = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) keys.Add(reader.GetString(0));

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }

    private async Task<(string OrderNo, HttpClient Client)> OrderAsync()
    {
        var kit = new TestShop(App);
        var (sku, _) = await kit.ProductWithKeysAsync(1);
        var buyer = await kit.BuyerAsync(100m);
        var client = App.ApiClient(buyer.ApiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity = 1, acceptNotices = true }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var created = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!, client);
    }

    private static async Task ReadOrderAsync(HttpClient client, string orderNo, string peer, string forwardedFor)
    {
        using var read = Request($"/api/v1/orders/{orderNo}", peer, forwardedFor, "https");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(read)).StatusCode);
    }

    private static HttpRequestMessage Request(string url, string peer, string forwardedFor, string forwardedProto)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        // HSTS is never sent to localhost, the test server's own name.
        request.Headers.Host = "shop.example.test";
        request.Headers.Add(PeerAddress.Header, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        return request;
    }

    private async Task<string?> LastRevealIpAsync(string orderNo)
    {
        await using var conn = new NpgsqlConnection(shop.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT e.ip FROM card_key_events e JOIN orders o ON o.id = e.order_id
            WHERE o.no = $1 AND e.kind = 'Revealed' ORDER BY e.id DESC LIMIT 1
            """, conn) { Parameters = { new() { Value = orderNo } } };
        return (string?)await cmd.ExecuteScalarAsync();
    }
}
