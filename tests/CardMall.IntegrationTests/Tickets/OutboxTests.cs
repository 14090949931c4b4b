using System.Text;
using System.Text.RegularExpressions;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Notifications;
using CardMall.Domain.Tickets;
using CardMall.Infrastructure.Mail;
using CardMall.TestSupport;
using CardMall.Web.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// The real SMTP sender writing into a temporary pickup directory, behind a switch that makes it fail
/// on demand; the dispatcher's own timer is off, so each test runs its passes by hand.
/// </summary>
public sealed class OutboxFixture : TicketShop
{
    public string PickupDirectory { get; } = Path.Combine(Path.GetTempPath(), "cardmall-mail-" + Guid.NewGuid().ToString("N"));

    public const string PublicBaseUrl = "https://shop.example.test";

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<SwitchableMailSender>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<SwitchableMailSender>());
    }

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["CardMall:Mail:PickupDirectory"] = PickupDirectory;
        settings["CardMall:Mail:DispatchEnabled"] = "false";
        settings["CardMall:PublicBaseUrl"] = PublicBaseUrl;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(PickupDirectory)) Directory.Delete(PickupDirectory, recursive: true);
    }
}

/// <summary>The shop's own sender, or a mail server that is down.</summary>
public sealed class SwitchableMailSender(IOptions<MailOptions> options) : IMailSender
{
    private readonly SmtpMailSender _real = new(options);

    public bool Down { get; set; }

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
        Down ? throw new System.Net.Mail.SmtpException("Service not available, closing transmission channel") : _real.SendAsync(message, cancellationToken);
}

/// <summary>
/// E-mails leave through the outbox: a new ticket queues the buyer's e-mail in the same transaction, the
/// dispatcher words it in the buyer's language and writes it out, once, even with two dispatchers; a mail
/// server that is down means a retry later, not a lost e-mail. No card key is ever in an e-mail.
/// </summary>
public sealed class OutboxTests(OutboxFixture shop) : IClassFixture<OutboxFixture>
{
    private readonly TicketTestKit _kit = new(shop);

    private EmailDispatcher Dispatcher => shop.Factory.Services.GetServices<IHostedService>().OfType<EmailDispatcher>().Single();

    private SwitchableMailSender Sender => shop.Factory.Services.GetRequiredService<SwitchableMailSender>();

    [Fact]
    public async Task A_new_ticket_queues_an_email_that_the_dispatcher_writes_in_the_buyer_s_language_without_any_key()
    {
        var (sku, codes) = await _kit.Shop.ProductWithKeysAsync(2, price: 10.00m);
        var chinese = await _kit.BuyerAsync(10.00m);
        var english = await _kit.BuyerAsync(10.00m);
        await _kit.ExecuteAsync("UPDATE users SET preferred_culture = 'en-US' WHERE id = $1", english.UserId);

        var chineseTicket = await FileAsync(chinese, sku);
        var englishTicket = await FileAsync(english, sku);
        Assert.Equal(1L, await UnsentAsync(chinese));
        Assert.Equal(1L, await UnsentAsync(english));

        await DispatchAsync();

        Assert.Equal(0L, await UnsentAsync(chinese));
        var zh = Assert.Single(MailsTo(chinese));
        Assert.Contains($"我们已经收到你的售后工单 {chineseTicket}", zh, StringComparison.Ordinal);
        Assert.Contains($"{OutboxFixture.PublicBaseUrl}/Tickets/{chineseTicket}", zh, StringComparison.Ordinal);
        Assert.Equal($"我们已收到你的工单 {chineseTicket}", SubjectOf(zh));

        var en = Assert.Single(MailsTo(english));
        Assert.Contains($"We've received your ticket {englishTicket}", en, StringComparison.Ordinal);
        Assert.Contains($"{OutboxFixture.PublicBaseUrl}/Tickets/{englishTicket}", en, StringComparison.Ordinal);
        Assert.Equal($"We've received your ticket {englishTicket}", SubjectOf(en));
        Assert.DoesNotContain("我们", en, StringComparison.Ordinal);

        foreach (var mail in MailsTo(chinese).Concat(MailsTo(english)))
            foreach (var code in codes)
            {
                Assert.DoesNotContain(code, mail, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(code[^6..], mail, StringComparison.OrdinalIgnoreCase);
            }

        // Sent is sent: another pass writes nothing more.
        await DispatchAsync();
        Assert.Single(MailsTo(chinese));
    }

    [Fact]
    public async Task A_buyer_who_switches_the_shop_to_English_gets_the_next_email_in_English_and_a_language_the_shop_lacks_changes_nothing()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(2, price: 10.00m);
        var buyer = await _kit.BuyerAsync(20.00m);
        using (var web = await _kit.SignInAsync(buyer, "zh-CN"))
        {
            var switched = await web.SubmitAsync("/", "form[data-testid=language-switch]", new Dictionary<string, string>(), "culture", "en-US");
            Assert.Equal("/", switched.Location);
        }
        // Another language asked for by hand is not stored: the English the buyer chose stays.
        await _kit.SendAsync(buyer, new CardMall.Application.Features.Accounts.RememberLanguage(buyer.UserId, "fr-FR"));

        var ticketNo = await FileAsync(buyer, sku);
        await DispatchAsync();

        var mail = Assert.Single(MailsTo(buyer));
        Assert.Equal($"We've received your ticket {ticketNo}", SubjectOf(mail));
        Assert.DoesNotContain("我们", mail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_dispatchers_at_the_same_moment_send_each_email_once()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(3, price: 10.00m);
        var buyers = new List<Actor>();
        for (var i = 0; i < 3; i++)
        {
            var buyer = await _kit.BuyerAsync(10.00m);
            await FileAsync(buyer, sku);
            buyers.Add(buyer);
        }

        await Task.WhenAll(Task.Run(DispatchAsync), Task.Run(DispatchAsync));
        await DispatchAsync();

        Assert.All(buyers, b => Assert.Single(MailsTo(b)));
        foreach (var b in buyers)
            Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM outgoing_emails WHERE user_id = $1 AND sent_at IS NOT NULL AND attempts = 1", b.UserId));
    }

    [Fact]
    public async Task When_the_mail_server_is_down_the_email_waits_backs_off_and_goes_out_later()
    {
        var buyer = await FileWhileTheMailServerIsDownAsync(async buyer =>
        {
            var start = shop.Clock.GetUtcNow();

            await DispatchAsync();
            Assert.Equal((1, start.AddMinutes(1)), await AttemptsAsync(buyer));
            Assert.Contains("Service not available", await _kit.ScalarAsync<string>("SELECT last_error FROM outgoing_emails WHERE user_id = $1", buyer.UserId),
                StringComparison.Ordinal);

            // Not before its time.
            await DispatchAsync();
            Assert.Equal(1, (await AttemptsAsync(buyer)).Attempts);

            shop.Clock.Advance(TimeSpan.FromMinutes(1));
            await DispatchAsync();
            Assert.Equal((2, start.AddMinutes(1 + 2)), await AttemptsAsync(buyer));
            Assert.Empty(MailsTo(buyer));

            Sender.Down = false;
            shop.Clock.Advance(TimeSpan.FromMinutes(2));
            await DispatchAsync();
        });

        Assert.Single(MailsTo(buyer));
        Assert.Equal(0L, await UnsentAsync(buyer));
        Assert.Equal(3, (await AttemptsAsync(buyer)).Attempts);
        Assert.Null(await _kit.ScalarAsync<object>("SELECT last_error FROM outgoing_emails WHERE user_id = $1", buyer.UserId) as string);
    }

    [Fact]
    public async Task An_email_that_keeps_failing_is_given_up_after_the_last_attempt_and_never_sent_late()
    {
        var buyer = await FileWhileTheMailServerIsDownAsync(async buyer =>
        {
            for (var attempt = 1; attempt <= OutgoingEmail.MaxAttempts; attempt++)
            {
                await DispatchAsync();
                Assert.Equal(attempt, (await AttemptsAsync(buyer)).Attempts);
                shop.Clock.Advance(TimeSpan.FromHours(1));
            }
            Assert.NotNull(await _kit.ScalarAsync<object>("SELECT gave_up_at FROM outgoing_emails WHERE user_id = $1", buyer.UserId) as DateTime?);
            Assert.Contains(shop.Factory.Logs.Lines, l => l.Contains($"given up after {OutgoingEmail.MaxAttempts} attempts", StringComparison.Ordinal));

            // The server is back hours later: a message about a ticket long since answered is not sent now.
            Sender.Down = false;
            shop.Clock.Advance(TimeSpan.FromHours(2));
            await DispatchAsync();
        });
        Assert.Empty(MailsTo(buyer));
        Assert.Equal(OutgoingEmail.MaxAttempts, (await AttemptsAsync(buyer)).Attempts);
        // The buyer still has the notification in the shop.
        Assert.True(await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1", buyer.UserId) >= 1);
    }

    // ---- helpers ----

    /// <summary>A buyer files a ticket while the mail server is down, then <paramref name="steps"/> run; it is up again afterwards.</summary>
    private async Task<Actor> FileWhileTheMailServerIsDownAsync(Func<Actor, Task> steps)
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(1, price: 10.00m);
        var buyer = await _kit.BuyerAsync(10.00m);
        Sender.Down = true;
        try
        {
            await FileAsync(buyer, sku);
            await steps(buyer);
        }
        finally
        {
            Sender.Down = false;
        }
        return buyer;
    }

    private async Task<string> FileAsync(Actor buyer, string sku)
    {
        var (orderNo, items) = await _kit.BuyAsync(buyer, sku, 1);
        return (await _kit.SendAsync(buyer, new CreateTicket(orderNo, items, TicketCategory.KeyInvalid, "It does not work.", null, []))).TicketNo;
    }

    private async Task DispatchAsync() => Assert.NotNull(await Dispatcher.RunOnceAsync(CancellationToken.None));

    private Task<long> UnsentAsync(Actor buyer) =>
        _kit.CountAsync("SELECT count(*) FROM outgoing_emails WHERE user_id = $1 AND sent_at IS NULL", buyer.UserId);

    private async Task<(int Attempts, DateTimeOffset NextAttemptAt)> AttemptsAsync(Actor buyer)
    {
        await using var conn = await _kit.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT attempts, next_attempt_at FROM outgoing_emails WHERE user_id = $1", conn);
        cmd.Parameters.AddWithValue(buyer.UserId);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var result = (reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1));
        Assert.False(await reader.ReadAsync());
        return result;
    }

    /// <summary>The .eml files in the pickup directory addressed to the buyer, as text.</summary>
    private List<string> MailsTo(Actor buyer) =>
        !Directory.Exists(shop.PickupDirectory) ? [] :
        Directory.GetFiles(shop.PickupDirectory, "*.eml")
            .Select(f => File.ReadAllText(f, Encoding.UTF8))
            .Where(m => m.Contains("<" + buyer.Account.Email + ">", StringComparison.OrdinalIgnoreCase)
                        || m.Contains("To: " + buyer.Account.Email, StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>The Subject header, unfolded and decoded (System.Net.Mail writes UTF-8 as =?utf-8?B?…?= words).</summary>
    private static string SubjectOf(string mail)
    {
        var lines = mail.Split("\r\n");
        var start = Array.FindIndex(lines, l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase));
        var header = new StringBuilder(lines[start]["Subject:".Length..]);
        for (var i = start + 1; i < lines.Length && lines[i].Length > 0 && char.IsWhiteSpace(lines[i][0]); i++) header.Append(lines[i]);
        // Whitespace between two encoded words is not part of the text (RFC 2047).
        var joined = Regex.Replace(header.ToString(), @"\?=\s+=\?", "?==?");
        var words = Regex.Matches(joined, @"=\?utf-8\?B\?([^?]*)\?=", RegexOptions.IgnoreCase);
        // The words may split a character's bytes, so the bytes are joined before decoding.
        return words.Count == 0 ? joined.Trim()
            : Encoding.UTF8.GetString(words.SelectMany(m => Convert.FromBase64String(m.Groups[1].Value)).ToArray());
    }
}
