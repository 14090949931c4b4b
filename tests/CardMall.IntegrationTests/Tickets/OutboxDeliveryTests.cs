using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Tickets;
using CardMall.Infrastructure.Mail;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>The real SMTP sender writing into a pickup directory, with a look at the database while each e-mail is handed over.</summary>
public sealed class OutboxDeliveryFixture : TicketShop
{
    public string PickupDirectory { get; } = Path.Combine(Path.GetTempPath(), "cardmall-mail-" + Guid.NewGuid().ToString("N"));

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<WatchedMailSender>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<WatchedMailSender>());
    }

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["CardMall:Mail:PickupDirectory"] = PickupDirectory;
        settings["CardMall:Mail:DispatchEnabled"] = "false";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(PickupDirectory)) Directory.Delete(PickupDirectory, recursive: true);
    }
}

/// <summary>The shop's own sender; <see cref="WhileSending"/> runs while it holds each e-mail, as a slow SMTP server would.</summary>
public sealed class WatchedMailSender(IOptions<MailOptions> options) : IMailSender
{
    private readonly SmtpMailSender _real = new(options);

    public Func<Task>? WhileSending { get; set; }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        if (WhileSending is { } watch) await watch();
        await _real.SendAsync(message, cancellationToken);
    }
}

/// <summary>
/// Issue 14, item 14: the outbox claims in one short transaction, sends with no transaction open, and marks in
/// another. A database that fails after the mail went out makes the mark try again — the mail server gets the
/// e-mail once — and no row lock or open transaction of the shop exists while the mail server has the e-mail.
/// </summary>
public sealed class OutboxDeliveryTests(OutboxDeliveryFixture shop) : IClassFixture<OutboxDeliveryFixture>
{
    private readonly TicketTestKit _kit = new(shop);

    private EmailDispatcher Dispatcher => shop.Factory.Services.GetServices<IHostedService>().OfType<EmailDispatcher>().Single();

    private WatchedMailSender Sender => shop.Factory.Services.GetRequiredService<WatchedMailSender>();

    [Fact]
    public async Task A_database_failure_after_sending_retries_the_mark_and_the_mail_server_gets_the_email_once()
    {
        var buyer = await BuyerWithTicketAsync();
        // The first two attempts to record "sent" fail as a transient database failure would (serialization failure).
        await SqlAsync("""
            CREATE SEQUENCE fail_marks;
            CREATE FUNCTION fail_mark() RETURNS trigger AS $$
            BEGIN
                IF NEW.sent_at IS NOT NULL AND OLD.sent_at IS NULL AND nextval('fail_marks') <= 2 THEN
                    RAISE EXCEPTION 'the database failed after the e-mail was sent' USING ERRCODE = '40001';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER fail_mark BEFORE UPDATE ON outgoing_emails FOR EACH ROW EXECUTE FUNCTION fail_mark();
            """);
        try
        {
            await DispatchAsync();
        }
        finally
        {
            await SqlAsync("DROP TRIGGER fail_mark ON outgoing_emails; DROP FUNCTION fail_mark(); ");
        }

        Assert.Single(MailsTo(buyer));
        // The mark was tried three times (two failures, then it held); the send once.
        Assert.Equal(4L, await _kit.ScalarAsync<long>("SELECT nextval('fail_marks')"));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM outgoing_emails WHERE user_id = $1 AND sent_at IS NOT NULL AND attempts = 1", buyer.UserId));

        await DispatchAsync();
        Assert.Single(MailsTo(buyer));
    }

    [Fact]
    public async Task A_mark_that_cannot_be_written_at_all_does_not_send_the_email_again_on_the_next_pass()
    {
        var buyer = await BuyerWithTicketAsync();
        await SqlAsync("""
            CREATE FUNCTION refuse_mark() RETURNS trigger AS $$
            BEGIN
                IF NEW.sent_at IS NOT NULL THEN RAISE EXCEPTION 'the database refuses'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_mark BEFORE UPDATE ON outgoing_emails FOR EACH ROW EXECUTE FUNCTION refuse_mark();
            """);
        try
        {
            await DispatchAsync();
            await DispatchAsync();
            shop.Clock.Advance(TimeSpan.FromMinutes(5));
            await DispatchAsync();
        }
        finally
        {
            await SqlAsync("DROP TRIGGER refuse_mark ON outgoing_emails; DROP FUNCTION refuse_mark();");
        }

        Assert.Single(MailsTo(buyer));
        Assert.Contains(shop.Factory.Logs.Lines, l => l.Contains("its outcome could not be recorded", StringComparison.Ordinal));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM outgoing_emails WHERE user_id = $1 AND attempts = 1", buyer.UserId));
    }

    [Fact]
    public async Task While_the_mail_server_has_the_email_the_shop_holds_no_transaction_and_no_row_lock()
    {
        var buyer = await BuyerWithTicketAsync();
        var seen = new List<(long OpenTransactions, long OutboxLocks, bool RowFree)>();
        Sender.WhileSending = async () =>
        {
            await using var conn = await _kit.OpenAsync();
            long Count(string sql)
            {
                using var cmd = new NpgsqlCommand(sql, conn);
                return (long)cmd.ExecuteScalar()!;
            }
            var open = Count("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL
                """);
            // A plain read elsewhere (another pass polling the outbox) holds only AccessShareLock for an instant;
            // what would hold the row is a lock taken to write or to claim (RowShare / RowExclusive and up).
            var locks = Count("""
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relname = 'outgoing_emails' AND l.pid <> pg_backend_pid() AND l.mode <> 'AccessShareLock'
                """);
            // Another dispatcher could lock the row at once: nothing of this one's holds it.
            await using var tx = await conn.BeginTransactionAsync();
            await using var probe = new NpgsqlCommand("SELECT id FROM outgoing_emails WHERE user_id = $1 FOR UPDATE NOWAIT", conn, tx);
            probe.Parameters.AddWithValue(buyer.UserId);
            var free = await probe.ExecuteScalarAsync() is Guid;
            await tx.RollbackAsync();
            seen.Add((open, locks, free));
        };
        try
        {
            await DispatchAsync();
        }
        finally
        {
            Sender.WhileSending = null;
        }

        Assert.Equal((0L, 0L, true), Assert.Single(seen));
        Assert.Single(MailsTo(buyer));
        // Leased while it was out: no second dispatcher could have taken it.
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM outgoing_emails WHERE user_id = $1 AND sent_at IS NOT NULL", buyer.UserId));
    }

    // ---- helpers ----

    private async Task<Actor> BuyerWithTicketAsync()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(1, price: 10.00m);
        var buyer = await _kit.BuyerAsync(10.00m);
        var (orderNo, items) = await _kit.BuyAsync(buyer, sku, 1);
        await _kit.SendAsync(buyer, new CreateTicket(orderNo, items, TicketCategory.KeyInvalid, "It does not work.", null, []));
        return buyer;
    }

    private async Task SqlAsync(string sql)
    {
        await using var conn = await _kit.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task DispatchAsync() => Assert.NotNull(await Dispatcher.RunOnceAsync(CancellationToken.None));

    /// <summary>The .eml files in the pickup directory addressed to the buyer.</summary>
    private List<string> MailsTo(Actor buyer) =>
        !Directory.Exists(shop.PickupDirectory) ? [] :
        Directory.GetFiles(shop.PickupDirectory, "*.eml")
            .Select(f => File.ReadAllText(f, Encoding.UTF8))
            .Where(m => m.Contains(buyer.Account.Email, StringComparison.OrdinalIgnoreCase))
            .ToList();
}
