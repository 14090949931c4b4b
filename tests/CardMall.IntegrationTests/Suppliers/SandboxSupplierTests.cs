using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Verification;
using CardMall.Infrastructure.Persistence;
using CardMall.Infrastructure.Suppliers;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CardMall.IntegrationTests.Suppliers;

/// <summary>
/// The shop with the supplier pipelines on a clock the tests move (<see cref="SupplierClock"/>: retry back-off
/// and the circuit's break pass only when a test says so, and no attempt ever times out by itself), 2 retries
/// from 50 ms, the circuit opening after 3 failed calls for an hour of that clock; every attempt recorded
/// (<see cref="Traffic"/>); the verification worker off (these tests call the gateway themselves); and one
/// address that answers 200 with something that is not JSON, for the "bad response" case.
/// </summary>
public sealed class SandboxSupplierShop : ShopFixture
{
    /// <summary>The real per-attempt timeout of <see cref="RealTimeFactory"/>, where a slow supplier must time out.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);
    public const int Retries = 2;
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);
    public const int BreakAfterFailures = 3;
    public static readonly TimeSpan BreakFor = TimeSpan.FromHours(1);
    public const string NotASupplierPath = "/not-a-supplier";

    public FakeTimeProvider SupplierClock { get; } = new();

    public SupplierTraffic Traffic { get; } = new();

    protected override ShopFactory CreateFactory(string connectionString)
    {
        var factory = new ShopFactory(connectionString)
        {
            Configure = s => s.AddSingleton<IStartupFilter, NotASupplier>()
                .RecordSupplierTraffic(Traffic)
                .AddKeyedSingleton<TimeProvider>(SupplierCircuits.ClockKey, SupplierClock),
        };
        foreach (var (key, value) in SupplierSettings())
            factory.Settings[key] = value;
        // An hour of the test's clock never passes while an attempt is under way: it ends when the supplier answers.
        // (Polly takes at most a day for the failure window, which the shop sizes from the timeout.)
        factory.Settings["CardMall:Verification:SupplierTimeout"] = TimeSpan.FromHours(1).ToString();
        return factory;
    }

    /// <summary>
    /// Another shop on the same database whose supplier pipelines run on the real clock with the real
    /// <see cref="Timeout"/>, for the supplier that never answers in time; its attempts are recorded in <paramref name="traffic"/>.
    /// </summary>
    public ShopFactory RealTimeFactory(SupplierTraffic traffic)
    {
        var factory = new ShopFactory(Database.ConnectionString) { Configure = s => s.RecordSupplierTraffic(traffic) };
        foreach (var (key, value) in SupplierSettings())
            factory.Settings[key] = value;
        return factory;
    }

    public static IEnumerable<KeyValuePair<string, string?>> SupplierSettings() =>
    [
        new("CardMall:Verification:SupplierTimeout", Timeout.ToString()),
        new("CardMall:Verification:SupplierRetries", Retries.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("CardMall:Verification:RetryDelay", RetryDelay.ToString()),
        new("CardMall:Verification:BreakAfterFailures", BreakAfterFailures.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("CardMall:Verification:BreakFor", BreakFor.ToString()),
        new("CardMall:Verification:WorkerEnabled", "false"),
    ];

    /// <summary>A web page where a supplier interface should be: 200, but HTML.</summary>
    private sealed class NotASupplier : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                if (!context.Request.Path.StartsWithSegments(NotASupplierPath))
                {
                    await following(context);
                    return;
                }
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Welcome!</body></html>");
            });
            next(app);
        };
    }
}

/// <summary>
/// The built-in sandbox supplier and the gateway that calls it over HTTP: answers set by operators (API
/// and page), each answer as the gateway reports it, timeouts and 500s after retries, the circuit breaker,
/// the API-health record of every call, and no card key in any log line.
/// </summary>
public sealed class SandboxSupplierTests(SandboxSupplierShop shop) : IClassFixture<SandboxSupplierShop>
{
    private const string QueryPath = "/sandbox-supplier/api/keys/query";

    private readonly TestShop _shop = new(shop.Factory);

    private ShopFactory App => shop.Factory;

    // ---- PUT /api/v1/admin/sandbox-supplier/keys ----

    [Fact]
    public async Task An_operator_sets_an_answer_and_gets_200_without_the_code_echoed()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        var code = NewCode();

        var response = await App.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys",
            new { code, answer = "redeemed", redeemedAt = "2026-03-01T08:00:00Z" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("redeemed", json.RootElement.GetProperty("answer").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            json.RootElement.GetProperty("redeemedAt").GetDateTimeOffset());
        Assert.DoesNotContain(code, body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("****" + code[^4..], json.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Setting_the_same_key_again_replaces_its_answer()
    {
        var supplier = await NewSupplierAsync();
        var code = NewCode();

        await SetAnswerAsync(code, "invalid");
        // Written differently (lower case, dashes): still the same key.
        await SetAnswerAsync(string.Join('-', code.ToLowerInvariant().Chunk(4).Select(c => new string(c))), "unused");

        Assert.Equal(SupplierAnswer.Unused, (await QueryAsync(supplier, code)).Answer);
    }

    [Fact]
    public async Task An_unknown_answer_is_a_400_naming_the_answer_field()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);

        var response = await App.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys",
            new { code = NewCode(), answer = "maybe" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("validation_failed", json.RootElement.GetProperty("code").GetString());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty("answer", out _));
    }

    [Fact]
    public async Task A_missing_code_is_a_400_naming_the_code_field()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);

        var response = await App.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", new { code = " - ", answer = "invalid" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty("code", out _));
    }

    [Fact]
    public async Task A_buyer_is_refused_with_403_and_nobody_without_a_key_gets_in()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        var agent = await TestAccounts.CreateAsync(App, ShopRoles.Agent);
        var body = new { code = NewCode(), answer = "invalid" };

        Assert.Equal(HttpStatusCode.Forbidden, (await App.ApiClient(buyer.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ApiClient(agent.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.ApiClient(null).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", body)).StatusCode);
    }

    [Fact]
    public async Task Switched_off_the_sandbox_supplier_is_404_everywhere_and_the_gateway_gets_no_answer()
    {
        await using var off = new ShopFactory(shop.Database.ConnectionString);
        off.Settings["CardMall:SandboxSupplier:Enabled"] = "false";
        foreach (var (key, value) in SandboxSupplierShop.SupplierSettings())
            off.Settings[key] = value;
        var op = await TestAccounts.CreateAsync(off, ShopRoles.Operator);

        var put = await off.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", new { code = NewCode(), answer = "invalid" });
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await off.CreateClient().PostAsJsonAsync(QueryPath, new { code = NewCode() })).StatusCode);
        using var web = new WebSession(off);
        await web.SignInAsync(op.Email, op.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/Admin/SandboxSupplier")).Status);
        Assert.Null((await web.GetAsync("/Admin")).Document.QuerySelector("[data-testid=nav-sandbox-supplier]"));

        var supplier = await NewSupplierAsync();
        var status = await off.Services.GetServices<ISupplierGateway>().For(supplier)!.QueryKeyAsync(supplier, new OpenedCardKey(NewCode(), null), CancellationToken.None);
        Assert.Equal(SupplierAnswer.Unreachable, status.Answer);
        Assert.Equal("http_404", status.Error);
    }

    // ---- the gateway against the sandbox, over HTTP ----

    [Fact]
    public async Task A_key_with_no_answer_set_is_unused()
    {
        var supplier = await NewSupplierAsync();
        var code = NewCode();

        var status = await QueryAsync(supplier, code);

        Assert.Equal(SupplierAnswer.Unused, status.Answer);
        Assert.Null(status.RedeemedAt);
        Assert.Null(status.Error);
        var call = Assert.Single(await CallsAsync(supplier));
        Assert.Equal(("query_key", "ok", 200), (call.Operation, call.Outcome, call.HttpStatus));
        Assert.DoesNotContain(code, App.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_redeemed_key_comes_back_redeemed_with_its_time()
    {
        var supplier = await NewSupplierAsync();
        var code = NewCode();
        var redeemedAt = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);
        await SetAnswerAsync(code, "redeemed", redeemedAt);

        var status = await QueryAsync(supplier, code);

        Assert.Equal(SupplierAnswer.Redeemed, status.Answer);
        Assert.Equal(redeemedAt, status.RedeemedAt);
        Assert.Equal("ok", Assert.Single(await CallsAsync(supplier)).Outcome);
    }

    [Fact]
    public async Task An_invalid_key_comes_back_invalid()
    {
        var supplier = await NewSupplierAsync();
        var code = NewCode();
        await SetAnswerAsync(code, "invalid");

        var status = await QueryAsync(supplier, code);

        Assert.Equal(SupplierAnswer.Invalid, status.Answer);
        Assert.Null(status.Error);
        Assert.DoesNotContain(code, App.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_slow_supplier_is_a_timeout_after_every_attempt_timed_out_not_after_waiting_for_it()
    {
        // The real clock and the real 300 ms timeout: "slow" answers only seconds after it.
        var traffic = new SupplierTraffic();
        await using var realTime = shop.RealTimeFactory(traffic);
        var supplier = await NewSupplierAsync();
        var code = NewCode();
        await SetAnswerAsync(code, "slow");

        var status = await realTime.Services.GetServices<ISupplierGateway>().For(supplier)!
            .QueryKeyAsync(supplier, new OpenedCardKey(code, null), CancellationToken.None);

        Assert.Equal(SupplierAnswer.Unreachable, status.Answer);
        Assert.Equal("timeout", status.Error);
        var call = Assert.Single(await CallsAsync(supplier));
        Assert.Equal(("timeout", (int?)null), (call.Outcome, call.HttpStatus));
        // Every attempt was made and each was given up on, none waited out: the supplier answered none of them.
        var attempts = traffic.For(code);
        Assert.Equal(SandboxSupplierShop.Retries + 1, attempts.Count);
        Assert.All(attempts, a => Assert.True(a.CallerGaveUp, $"the supplier answered {a.Status}"));
    }

    [Fact]
    public async Task A_failing_supplier_is_http_500_after_the_retries_and_recorded_once()
    {
        var supplier = await NewSupplierAsync();
        var code = NewCode();
        await SetAnswerAsync(code, "error");

        var status = await QueryAsync(supplier, code);

        Assert.Equal(SupplierAnswer.Unreachable, status.Answer);
        Assert.Equal("http_500", status.Error);
        Assert.Equal(Enumerable.Repeat((int?)500, SandboxSupplierShop.Retries + 1), shop.Traffic.For(code).Select(a => a.Status));
        var call = Assert.Single(await CallsAsync(supplier));
        Assert.Equal(("query_key", "error", 500), (call.Operation, call.Outcome, call.HttpStatus));
        Assert.DoesNotContain(code, App.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task After_repeated_failures_the_circuit_opens_answers_without_calling_and_lets_a_call_through_after_the_break()
    {
        var supplier = await NewSupplierAsync();
        var failing = NewCode();
        await SetAnswerAsync(failing, "error");
        for (var i = 0; i < SandboxSupplierShop.BreakAfterFailures; i++)
            Assert.Equal("http_500", (await QueryAsync(supplier, failing)).Error);
        var failedAttempts = shop.Traffic.For(failing).Count;

        var healthy = NewCode();
        var status = await QueryAsync(supplier, healthy);

        Assert.Equal(SupplierAnswer.Unreachable, status.Answer);
        Assert.Equal("circuit_open", status.Error);
        // Answered without calling the supplier.
        Assert.Empty(shop.Traffic.For(healthy));
        Assert.Equal(failedAttempts, shop.Traffic.For(failing).Count);
        var calls = await CallsAsync(supplier);
        Assert.Equal(SandboxSupplierShop.BreakAfterFailures + 1, calls.Count);
        Assert.Equal(("circuit_open", (int?)null), (calls[^1].Outcome, calls[^1].HttpStatus));

        // Another supplier's circuit is its own.
        var elsewhere = NewCode();
        Assert.Equal(SupplierAnswer.Unused, (await QueryAsync(await NewSupplierAsync(), elsewhere)).Answer);
        Assert.Single(shop.Traffic.For(elsewhere));

        // Halfway through the break the circuit is still open…
        shop.SupplierClock.Advance(SandboxSupplierShop.BreakFor / 2);
        Assert.Equal("circuit_open", (await QueryAsync(supplier, healthy)).Error);
        Assert.Empty(shop.Traffic.For(healthy));

        // …once it is, a call reaches the supplier again, and its good answer closes the circuit.
        shop.SupplierClock.Advance(SandboxSupplierShop.BreakFor / 2);
        Assert.Equal(SupplierAnswer.Unused, (await QueryAsync(supplier, healthy)).Answer);
        Assert.Equal([200], shop.Traffic.For(healthy).Select(a => a.Status));
        Assert.Equal(SupplierAnswer.Unused, (await QueryAsync(supplier, healthy)).Answer);
        Assert.Equal([200, 200], shop.Traffic.For(healthy).Select(a => a.Status));
    }

    [Fact]
    public async Task An_answer_that_is_not_the_protocol_is_a_bad_response()
    {
        var supplier = await NewSupplierAsync(apiBaseUrl: "http://localhost" + SandboxSupplierShop.NotASupplierPath);

        var status = await QueryAsync(supplier, NewCode());

        Assert.Equal(SupplierAnswer.Unreachable, status.Answer);
        Assert.Equal("bad_response", status.Error);
        var call = Assert.Single(await CallsAsync(supplier));
        Assert.Equal(("bad_response", 200), (call.Outcome, call.HttpStatus));
    }

    [Fact]
    public async Task A_case_reported_to_the_sandbox_gets_a_reference_and_is_recorded()
    {
        var supplier = await NewSupplierAsync();
        var code = NewCode();

        var report = await Gateway(supplier).ReportCaseAsync(supplier, new OpenedCardKey(code, "S123"), "The buyer says it will not activate.", CancellationToken.None);

        Assert.True(report.Accepted);
        Assert.StartsWith("SC", report.Reference, StringComparison.Ordinal);
        var call = Assert.Single(await CallsAsync(supplier));
        Assert.Equal(("report_case", "ok", 202), (call.Operation, call.Outcome, call.HttpStatus));
        Assert.DoesNotContain(code, App.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_call_record_stays_when_the_callers_transaction_rolls_back()
    {
        var supplier = await NewSupplierAsync();

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(SupplierAnswer.Unused, (await QueryAsync(supplier, NewCode())).Answer);
            await transaction.RollbackAsync();
        }

        Assert.Single(await CallsAsync(supplier));
    }

    [Fact]
    public async Task The_key_travels_in_the_body_only_and_never_reaches_a_log()
    {
        var supplier = await NewSupplierAsync();
        var codes = new[] { NewCode(), NewCode(), NewCode() };
        await SetAnswerAsync(codes[0], "invalid");
        await SetAnswerAsync(codes[1], "error");

        foreach (var code in codes)
            await QueryAsync(supplier, code);
        await Gateway(supplier).ReportCaseAsync(supplier, new OpenedCardKey(codes[2], null), "question", CancellationToken.None);

        // The requests reached the sandbox at its bare path: nothing rides in the URL.
        var requests = App.Logs.Lines.Where(l => l.Contains("HTTP POST " + QueryPath, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, l => Assert.Contains("HTTP POST " + QueryPath + " (", l, StringComparison.Ordinal));
        foreach (var code in codes)
            Assert.DoesNotContain(code, App.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    // ---- the admin page ----

    [Fact]
    public async Task An_operator_sets_an_answer_on_the_page_and_sees_it_listed_without_the_code()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        using var web = new WebSession(App);
        await web.SignInAsync(op.Email, op.Password);
        var code = NewCode();

        var saved = await web.SubmitAsync("/Admin/SandboxSupplier", "form[data-testid=sandbox-answer-form]", new Dictionary<string, string>
        {
            ["Input.Code"] = code,
            ["Input.Answer"] = "redeemed",
            ["Input.RedeemedAt"] = "2026-01-02T10:30",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var page = await web.FollowAsync(saved);

        Assert.Contains("****" + code[^4..], page.Document.QuerySelector("[data-testid=sandbox-saved]")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(code, page.Html, StringComparison.OrdinalIgnoreCase);
        var row = page.Document.QuerySelector("[data-testid=sandbox-answers] tbody tr[data-answer=redeemed]");
        Assert.NotNull(row);
        Assert.Contains("2026-01-02 10:30", row.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector("[data-testid=nav-sandbox-supplier]"));

        // Typed in Beijing time: 10:30 there is 02:30 UTC.
        var supplier = await NewSupplierAsync();
        var status = await QueryAsync(supplier, code);
        Assert.Equal(SupplierAnswer.Redeemed, status.Answer);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 2, 30, 0, TimeSpan.Zero), status.RedeemedAt);
    }

    [Fact]
    public async Task The_page_shows_a_field_error_and_does_not_write_the_code_back()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        using var web = new WebSession(App);
        await web.SignInAsync(op.Email, op.Password);
        var code = NewCode();

        var page = await web.SubmitAsync("/Admin/SandboxSupplier", "form[data-testid=sandbox-answer-form]", new Dictionary<string, string>
        {
            ["Input.Code"] = code,
            ["Input.Answer"] = "sometimes",
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotEmpty(page.FieldErrors("Input.Answer"));
        Assert.DoesNotContain(code, page.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Agents_cannot_open_the_page()
    {
        var agent = await TestAccounts.CreateAsync(App, ShopRoles.Agent);
        using var web = new WebSession(App);
        await web.SignInAsync(agent.Email, agent.Password);

        var page = await web.GetAsync("/Admin/SandboxSupplier");

        Assert.NotEqual(HttpStatusCode.OK, page.Status);
        Assert.Null((await web.GetAsync("/Admin")).Document.QuerySelector("[data-testid=nav-sandbox-supplier]"));
    }

    // ---- supplier settings ----

    [Fact]
    public async Task A_supplier_created_through_the_api_is_called_through_the_sandbox_unless_told_otherwise()
    {
        var plain = await NewSupplierAsync();
        Assert.Equal(("sandbox", (string?)null), (plain.Protocol, plain.ApiBaseUrl));

        var none = await NewSupplierAsync(protocol: "none", apiBaseUrl: "https://api.supplier.example/");
        Assert.Equal(("none", "https://api.supplier.example"), (none.Protocol, none.ApiBaseUrl));
        Assert.Null(App.Services.GetServices<ISupplierGateway>().For(none));
    }

    [Theory]
    [InlineData("carrier-pigeon", null, "protocol")]
    [InlineData("sandbox", "ftp://files.example", "apiBaseUrl")]
    [InlineData("sandbox", "not an address", "apiBaseUrl")]
    public async Task A_supplier_with_an_unknown_protocol_or_a_bad_address_is_refused(string protocol, string? apiBaseUrl, string field)
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);

        var response = await App.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/suppliers", new
        {
            code = "SUP-" + Guid.NewGuid().ToString("N")[..8],
            name = "供应商",
            webhookSecret = "test-webhook-secret-123456",
            protocol,
            apiBaseUrl,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task The_supplier_page_sets_and_shows_the_interface()
    {
        var op = await TestAccounts.CreateAsync(App, ShopRoles.Operator);
        using var web = new WebSession(App);
        await web.SignInAsync(op.Email, op.Password);
        var code = "PG-" + Guid.NewGuid().ToString("N")[..8];

        var saved = await web.SubmitAsync("/Admin/Suppliers", "form[data-testid=supplier-form]", new Dictionary<string, string>
        {
            ["Input.Code"] = code,
            ["Input.Name"] = "页面供应商",
            ["Input.WebhookSecret"] = "page-webhook-secret-123456",
            ["Input.Protocol"] = "none",
            ["Input.ApiBaseUrl"] = "",
        });
        var page = await web.FollowAsync(saved);

        var cell = page.Document.QuerySelector($"tr[data-code='{code}'] [data-testid=supplier-interface]");
        Assert.Equal("无接口", cell?.TextContent.Trim());
    }

    // ---- steps ----

    private static string NewCode() => "K" + Guid.NewGuid().ToString("N").ToUpperInvariant();

    private async Task SetAnswerAsync(string code, string answer, DateTimeOffset? redeemedAt = null)
    {
        var op = await _shop.OperatorAsync();
        var response = await App.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", new { code, answer, redeemedAt });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A supplier of its own, so that one test's failures never open another test's circuit.</summary>
    private async Task<Supplier> NewSupplierAsync(string? protocol = null, string? apiBaseUrl = null)
    {
        var op = await _shop.OperatorAsync();
        var code = "SUP-" + Guid.NewGuid().ToString("N")[..8];
        var response = await App.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/suppliers",
            new { code, name = "测试供应商", webhookSecret = "test-webhook-secret-123456", protocol, apiBaseUrl });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().Suppliers.AsNoTracking().SingleAsync(s => s.Code == code);
    }

    private ISupplierGateway Gateway(Supplier supplier) =>
        App.Services.GetServices<ISupplierGateway>().For(supplier) ?? throw new InvalidOperationException("no gateway for " + supplier.Protocol);

    /// <summary>
    /// One query through the gateway. The pipelines' clock stands still, so while the call is under way it is moved
    /// on in back-off steps: a retry waits for its delay as it would on the real clock. (The attempts' timeout is an
    /// hour of that clock: these small steps never reach it.)
    /// </summary>
    private async Task<SupplierKeyStatus> QueryAsync(Supplier supplier, string code)
    {
        var call = Gateway(supplier).QueryKeyAsync(supplier, new OpenedCardKey(code, null), CancellationToken.None);
        while (!call.IsCompleted)
        {
            shop.SupplierClock.Advance(SandboxSupplierShop.RetryDelay);
            await Task.WhenAny(call, Task.Delay(10));
        }
        return await call;
    }

    private async Task<List<SupplierCall>> CallsAsync(Supplier supplier)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().SupplierCalls.AsNoTracking()
            .Where(c => c.SupplierId == supplier.Id).OrderBy(c => c.Id).ToListAsync();
    }

}
