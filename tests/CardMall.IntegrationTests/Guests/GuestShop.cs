using System.Collections.Concurrent;
using System.Net;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Payments;
using MediatR;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CardMall.IntegrationTests.Guests;

/// <summary>
/// The shop with a known sandbox secret, the sandbox's notifications delivered to the in-memory server, e-mails kept
/// in a mailbox, and no background passes: each test delivers notifications and dispatches e-mails itself, once.
/// </summary>
public sealed class GuestShopFixture : ShopFixture
{
    public const string PublicBaseUrl = "https://shop.example.test";

    protected override ShopFactory CreateFactory(string connectionString)
    {
        var factory = new ShopFactory(connectionString)
        {
            Configure = services =>
            {
                Type[] passes = [typeof(SandboxNotifier), typeof(TopUpWatcher), typeof(OrderPaymentWatcher), typeof(PaymentRefunder)];
                foreach (var background in services.Where(d => d.ServiceType == typeof(IHostedService) && passes.Contains(d.ImplementationType)).ToList())
                    services.Remove(background);
                services.AddHttpClient(SandboxNotifications.HttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(sp => ((TestServer)sp.GetRequiredService<IServer>()).CreateHandler());
                services.AddSingleton<Mailbox>();
                services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<Mailbox>());
            },
        };
        factory.Settings["CardMall:Sandbox:PaymentSecret"] = "sandbox-secret-for-guest-tests";
        factory.Settings["CardMall:Mail:DispatchEnabled"] = "false";
        factory.Settings["CardMall:PublicBaseUrl"] = PublicBaseUrl;
        // Every test here comes from the one in-memory address: its own limits are tested where they are the point.
        factory.Settings["CardMall:RateLimits:GuestCheckoutsPerAddress:Permits"] = "500";
        factory.Settings["CardMall:RateLimits:GuestLookupsPerAddress:Permits"] = "500";
        return factory;
    }
}

/// <summary>The e-mails the shop sent, as the recipient would read them.</summary>
public sealed class Mailbox : IMailSender
{
    private readonly ConcurrentQueue<EmailMessage> _sent = new();

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        _sent.Enqueue(message);
        return Task.CompletedTask;
    }

    public IReadOnlyList<EmailMessage> To(string email) => _sent.Where(m => string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase)).ToList();
}

/// <summary>What the guest tests do the way a visitor's browser does it.</summary>
public sealed class GuestSteps(ShopFactory app)
{
    /// <summary>Fills the guest checkout and returns the redirect it answers with (the sandbox pay page on success).</summary>
    public async Task<WebSession.Page> BuyAsync(WebSession web, string sku, string email, string password, int quantity = 1) =>
        await web.SubmitAsync($"/Products/{sku}/Guest", "form[data-testid=guest-form]", new Dictionary<string, string>
        {
            ["Input.Quantity"] = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Email"] = email,
            ["Input.LookupPassword"] = password,
            ["Input.AcceptNotices"] = "true",
            ["Input.Payment"] = "sandbox",
        });

    /// <summary>A guest order placed and paid on the sandbox page (the notification not delivered yet); its number.</summary>
    public async Task<string> BuyAndPayAsync(WebSession web, string sku, string email, string password)
    {
        var started = await BuyAsync(web, sku, email, password);
        Assert.Equal(HttpStatusCode.Redirect, started.Status);
        return await PayAsync(web, started.Location!);
    }

    /// <summary>Pays on the sandbox page; the order number it returns to.</summary>
    public static async Task<string> PayAsync(WebSession web, string payPage)
    {
        Assert.StartsWith("/Sandbox/Pay/SB", payPage, StringComparison.Ordinal);
        var paid = await web.SubmitAsync(payPage, "form[data-testid=sandbox-pay-form]", new Dictionary<string, string>());
        Assert.StartsWith("/Orders/CM", paid.Location, StringComparison.Ordinal);
        return paid.Location!["/Orders/".Length..];
    }

    public async Task<int> DeliverNotificationsAsync() =>
        await app.Services.GetRequiredService<SandboxNotifications>().DeliverDueAsync(CancellationToken.None);

    public async Task DispatchEmailsAsync()
    {
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DispatchEmails(GuestShopFixture.PublicBaseUrl));
    }

    public Mailbox Mail => app.Services.GetRequiredService<Mailbox>();

    /// <summary>The signed link in the newest e-mail to <paramref name="email"/>, as a site path.</summary>
    public string LinkIn(string email)
    {
        var mail = Mail.To(email)[^1];
        var start = mail.TextBody.IndexOf(GuestShopFixture.PublicBaseUrl + "/Lookup/Open?token=", StringComparison.Ordinal);
        Assert.True(start >= 0, "no signed link in: " + mail.TextBody);
        var end = mail.TextBody.IndexOfAny(['\n', '\r', ' '], start);
        return mail.TextBody[(start + GuestShopFixture.PublicBaseUrl.Length)..(end < 0 ? mail.TextBody.Length : end)];
    }

    public static async Task<WebSession.Page> LookUpAsync(WebSession web, string what, string password) =>
        await web.SubmitAsync("/Lookup", "form[data-testid=lookup-form]", new Dictionary<string, string>
        {
            ["Input.OrderNoOrEmail"] = what,
            ["Input.LookupPassword"] = password,
        });

    public static string Email() => $"guest-{Guid.NewGuid():N}@example.test";
}
