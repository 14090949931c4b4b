using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Domain.Risk;
using CardMall.Infrastructure.Persistence;
using CardMall.TestSupport;
using CardMall.Web.Verification;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace CardMall.BrowserTests;

// Scratch: screenshots for the verification helper's report. Not meant to stay in the tree.
public sealed class ScratchVerificationShots
{
    private const string AdminKey = "cm_scratch_admin_key_0123456789abcdef";

    [Fact]
    public async Task Shots()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var factory = new ShopFactory(db.ConnectionString);
        factory.Settings["CardMall:Demo:Seed"] = "true";
        factory.Settings["CardMall:Demo:AdminApiKey"] = AdminKey;
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        var admin = Client(http, AdminKey);

        var zhBuyer = await BuyerAsync(factory, admin, "zh-CN", "小王");
        var enBuyer = await BuyerAsync(factory, admin, "en-US", "Alex");
        var worker = factory.Services.GetServices<IHostedService>().OfType<VerificationWorker>().Single();

        var tickets = new Dictionary<string, string>();
        foreach (var (name, buyer, answer, sku) in new[] { ("zh", zhBuyer, "invalid", "NETEASE-100"), ("en", enBuyer, "invalid", "STEAM-WALLET-100"), ("review", zhBuyer, "redeemed", "WIN11-PRO"), ("guide", enBuyer, "unused", "WOW-60"), ("slow", enBuyer, "slow", "IQIYI-VIP-M") })
        {
            using (var scope = factory.Services.CreateScope())
            {
                var sdb = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
                var states = await (from k in sdb.CardKeys join p in sdb.Products on k.ProductId equals p.Id where p.Sku == "NETEASE-100" group k by k.State into g select new { g.Key, N = g.Count() }).ToListAsync();
                Console.WriteLine("STATES " + name + " " + string.Join(",", states.Select(x => x.Key + "=" + x.N)) + " products=" + await sdb.Products.CountAsync());
            }
            var (orderNo, code, itemId) = await BuyAsync(http, buyer.ApiKey, sku);
            if (name == "zh") await ActivationAsync(factory, itemId);
            var redeemedAt = DateTimeOffset.UtcNow.AddMinutes(3);
            (await admin.PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", new { code, answer, redeemedAt })).EnsureSuccessStatusCode();
            var filed = await Client(http, buyer.ApiKey).PostAsJsonAsync("/api/v1/tickets",
                new { orderNo, itemIds = new[] { itemId }, category = "key_invalid", description = "兑换时提示卡密无效 / The site says the key is invalid." });
            filed.EnsureSuccessStatusCode();
            tickets[name] = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketNo").GetString()!;
            if (name == "review") await Task.Delay(200);
            var pass = await worker.RunOnceAsync(CancellationToken.None);
            Assert.Equal(1, pass!.Ran);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        var folder = "/tmp/v5/shots";
        Directory.CreateDirectory(folder);
        foreach (var locale in new[] { "zh-CN", "en-US" })
        {
            var staff = await PageAsync(browser, address, locale, "agent@cardmall.test", DemoPassword);
            foreach (var (name, no) in tickets)
            {
                await staff.GotoAsync("/Admin/Tickets/" + no);
                await staff.ScreenshotAsync(new PageScreenshotOptions { Path = $"{folder}/staff-{name}-{locale}.png", FullPage = true });
            }
        }
        foreach (var (name, buyer, locale) in new[] { ("zh", zhBuyer, "zh-CN"), ("en", enBuyer, "en-US"), ("guide", enBuyer, "en-US"), ("slow", enBuyer, "en-US") })
        {
            var page = await PageAsync(browser, address, locale, buyer.Email, Password);
            await page.GotoAsync("/Tickets/" + tickets[name]);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = $"{folder}/buyer-ticket-{name}-{locale}.png", FullPage = true });
        }
    }

    private const string Password = "Passw0rd-long";
    private const string DemoPassword = "CardMall@2026";

    private static async Task<IPage> PageAsync(IBrowser browser, string address, string locale, string email, string password)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address, Locale = locale, ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.Locator("input[name='Input.Email']").FillAsync(email);
        await page.Locator("input[name='Input.Password']").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForLoadStateAsync();
        return page;
    }

    private static HttpClient Client(HttpClient template, string key)
    {
        var c = new HttpClient { BaseAddress = template.BaseAddress };
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return c;
    }

    private sealed record Buyer(string Email, string ApiKey);

    private static async Task<Buyer> BuyerAsync(ShopFactory factory, HttpClient admin, string culture, string name)
    {
        var email = $"buyer-{Guid.NewGuid():N}@example.test";
        var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new { email, password = Password, role = "Buyer", tier = "regular" });
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var userId = body.GetProperty("userId").GetGuid();
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
            var tracked = await db.Users.SingleAsync(u => u.Id == userId);
            tracked.PreferredCulture = culture;
            tracked.DisplayName = name;
            await db.SaveChangesAsync();
        }
        (await admin.PostAsJsonAsync($"/api/v1/admin/users/{userId}/wallet/adjustments", new { amount = 300m, reason = "shots" })).EnsureSuccessStatusCode();
        return new Buyer(email, body.GetProperty("apiKey").GetString()!);
    }

    private static async Task<(string OrderNo, string Code, Guid ItemId)> BuyAsync(HttpClient http, string apiKey, string sku)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return await BuyOnceAsync(http, apiKey, sku);
            }
            catch (InvalidOperationException) when (i < 30)
            {
                await Task.Delay(1000);
            }
        }
    }

    private static async Task<(string OrderNo, string Code, Guid ItemId)> BuyOnceAsync(HttpClient http, string apiKey, string sku)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity = 1, acceptNotices = true }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var item = body.GetProperty("items")[0];
        return (body.GetProperty("orderNo").GetString()!, item.GetProperty("code").GetString()!, item.GetProperty("itemId").GetGuid());
    }

    private static async Task ActivationAsync(ShopFactory factory, Guid itemId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var keyId = await db.OrderItems.Where(i => i.Id == itemId).Select(i => i.CardKeyId).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        db.ActivationEvents.Add(new ActivationEvent(keyId, null, "webhook", "iPhone-7F3A", "203.0.113.7", now, "failed", Guid.NewGuid().ToByteArray(), now));
        await db.SaveChangesAsync();
    }
}
