using System.Net;
using System.Net.Http.Json;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using CardMall.TestSupport;
using CardMall.Web.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CardMall.IntegrationTests.Verification;

/// <summary>
/// The worker's timer off (passes by hand); a supplier timeout of three seconds without retries, every attempt
/// recorded (<see cref="Traffic"/>); three attempts per check, the first back-off one minute; incidents out of the way.
/// </summary>
public sealed class VerificationRetryShop : TicketShop
{
    public SupplierTraffic Traffic { get; } = new();

    protected override void AddServices(IServiceCollection services) => services.RecordSupplierTraffic(Traffic);

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings[VerificationWorker.EnabledSetting] = "false";
        settings["CardMall:Verification:SupplierTimeout"] = "00:00:03";
        settings["CardMall:Verification:SupplierRetries"] = "0";
        settings["CardMall:Verification:BreakAfterFailures"] = "100";
        settings["CardMall:Verification:MaxAttempts"] = "3";
        settings["CardMall:Verification:RetryFirstAfter"] = "00:01:00";
        settings["CardMall:Risk:ComplaintsPerBatch"] = "1000";
    }
}

/// <summary>
/// Issue 14, item 15: a key check claims its row in a short transaction, asks the supplier with no transaction
/// open, and applies the answer in another. A supplier that errors costs the check an attempt and a back-off
/// (1, 2 … minutes) while the other checks go on; after the last attempt a person takes over at High priority
/// with an internal note. While the supplier is being asked, the shop holds no open transaction.
/// </summary>
public sealed class VerificationRetryTests(VerificationRetryShop shop) : IClassFixture<VerificationRetryShop>
{
    private readonly TicketTestKit _kit = new(shop) { Culture = "zh-CN" };

    private VerificationWorker Worker => shop.Factory.Services.GetServices<IHostedService>().OfType<VerificationWorker>().Single();

    [Fact]
    public async Task A_supplier_that_errors_backs_the_check_off_while_others_proceed_and_after_the_limit_a_person_takes_over()
    {
        var failing = await _kit.BuyerWithOrderAsync(1);
        var fine = await _kit.BuyerWithOrderAsync(1);
        await AnswerAsync(failing.Codes[0], "error");
        var failingTicket = await _kit.FileTicketAsync(failing);
        var fineTicket = await _kit.FileTicketAsync(fine);
        var start = shop.Clock.GetUtcNow();

        await PassAsync();

        var check = await CheckAsync(failingTicket);
        Assert.Equal((VerificationStatus.Pending, 1, start.AddMinutes(1), SupplierAnswer.Unreachable), (check.Status, check.Attempts, check.NextAttemptAt, check.Answer));
        // The check queued after it went ahead.
        Assert.Equal((VerificationStatus.Done, VerificationOutcome.GuidanceSent), ((await CheckAsync(fineTicket)).Status, (await CheckAsync(fineTicket)).Outcome));
        Assert.Equal(TicketPriority.Normal, (await _kit.TicketAsync(failingTicket)).Priority);

        // Not before its time.
        await PassAsync();
        Assert.Equal(1, (await CheckAsync(failingTicket)).Attempts);

        shop.Clock.Advance(TimeSpan.FromMinutes(1));
        await PassAsync();
        check = await CheckAsync(failingTicket);
        Assert.Equal((VerificationStatus.Pending, 2, start.AddMinutes(1 + 2)), (check.Status, check.Attempts, check.NextAttemptAt));

        shop.Clock.Advance(TimeSpan.FromMinutes(2));
        await PassAsync();
        check = await CheckAsync(failingTicket);
        Assert.Equal((VerificationStatus.Done, 3, VerificationOutcome.InterfaceAnomaly), (check.Status, check.Attempts, check.Outcome));
        var ticket = await _kit.TicketAsync(failingTicket);
        Assert.Equal(TicketPriority.High, ticket.Priority);
        Assert.True(ticket.IsActive);
        Assert.Equal(1L, await _kit.CountAsync(
            "SELECT count(*) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.no = $1 AND m.is_internal", failingTicket));

        // Done is done: later passes leave it alone.
        shop.Clock.Advance(TimeSpan.FromHours(2));
        await PassAsync();
        Assert.Equal(3, (await CheckAsync(failingTicket)).Attempts);
    }

    [Fact]
    public async Task While_the_supplier_is_asked_the_shop_holds_no_transaction_open()
    {
        var order = await _kit.BuyerWithOrderAsync(1);
        // "slow" answers only after the supplier timeout: the check ends in a real timeout.
        await AnswerAsync(order.Codes[0], "slow");
        var ticketNo = await _kit.FileTicketAsync(order);
        // The attempt waits at the door until the test has looked at the database (or its timeout runs out).
        var asked = new TaskCompletionSource<SupplierAttempt>(TaskCreationOptions.RunContinuationsAsynchronously);
        var looked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        shop.Traffic.OnSending(async (attempt, ct) =>
        {
            asked.TrySetResult(attempt);
            await looked.Task.WaitAsync(ct);
        });
        try
        {
            await using var conn = await _kit.OpenAsync();
            var pass = PassAsync();
            var attempt = await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // A transaction held across the call has been idle since before the call went out: once it has been
            // for a while, it shows as idle in transaction for longer than any statement-to-statement pause.
            await Task.Delay(TimeSpan.FromMilliseconds(400));
            await using var cmd = new NpgsqlCommand("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'
                  AND state_change < clock_timestamp() - interval '300 milliseconds'
                """, conn);
            var heldOpen = (long)(await cmd.ExecuteScalarAsync())!;
            // The look fell inside the call: its one attempt had not ended yet.
            Assert.Empty(shop.Traffic.For(attempt.Code));
            looked.SetResult();
            await pass;

            Assert.Equal(0L, heldOpen);
            var check = await CheckAsync(ticketNo);
            Assert.Equal(("timeout", 1), (check.SupplierError, check.Attempts));
            Assert.True(Assert.Single(shop.Traffic.For(attempt.Code)).CallerGaveUp);
        }
        finally
        {
            shop.Traffic.OnSending(null);
        }
    }

    private async Task PassAsync() => Assert.NotNull(await Worker.RunOnceAsync(CancellationToken.None));

    private Task<KeyVerification> CheckAsync(string ticketNo) => _kit.QueryAsync(db =>
        (from v in db.KeyVerifications.AsNoTracking()
         join t in db.Tickets on v.TicketId equals (Guid?)t.Id
         where t.No == ticketNo
         select v).SingleAsync());

    private async Task AnswerAsync(string code, string answer)
    {
        var op = await _kit.Shop.OperatorAsync();
        var response = await shop.Factory.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", new { code, answer });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
