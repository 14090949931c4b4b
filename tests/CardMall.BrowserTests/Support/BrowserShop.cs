using CardMall.TestSupport;
using CardMall.Web.Verification;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace CardMall.BrowserTests.Support;

/// <summary>
/// The real shop listening on a loopback port (Kestrel, not the in-memory test server, because a
/// browser needs a socket) against its own test database, and one headless Chromium driving it.
/// Shared by every browser test: starting the app and the browser is the slow part.
/// </summary>
public sealed class BrowserShop : IAsyncLifetime
{
    private const string DefaultChromium = "/usr/bin/chromium";

    // Flags that keep Chromium from phoning home or probing the GPU: the tests must not depend on the
    // network or on a display, and the sandbox needs privileges a CI container does not have.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private TestDatabase? _database;
    private ShopFactory? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where the shop answers, e.g. http://127.0.0.1:41234/ (always with a trailing slash).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not been launched.");

    /// <summary>Where screenshots go: test-output/screenshots at the repository root (git-ignored).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "test-output", "screenshots");

    public async Task InitializeAsync()
    {
        // The executable is checked first: without it there is nothing to test, and the message
        // must say so plainly instead of surfacing as a Playwright launch error.
        var chromium = Environment.GetEnvironmentVariable("CARDMALL_CHROMIUM");
        if (string.IsNullOrWhiteSpace(chromium)) chromium = DefaultChromium;
        if (!File.Exists(chromium))
            throw new InvalidOperationException(
                $"Chromium was not found at '{chromium}'. The browser tests need Debian's Chromium: install it " +
                "(apt-get install chromium) or set CARDMALL_CHROMIUM to the executable. Browser tests are never skipped.");

        // The first request of each page pays for JIT compilation; on a two-core machine that can
        // exceed Playwright's 5 s default without anything being wrong.
        Assertions.SetDefaultExpectTimeout(15_000);

        try
        {
            _database = await TestDatabase.CreateAsync();
            _factory = new ShopFactory(_database.ConnectionString);
            // The demo shop's accounts (one per role, DemoData.Accounts), seeded as the app starts, so
            // journeys can sign in as staff. Tests that register must still use unique addresses.
            _factory.Settings["CardMall:Demo:Seed"] = "true";
            _factory.UseKestrel(0);
            _factory.StartServer();
            BaseAddress = ListeningAddress(_factory);

            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ChromiumArgs,
            });
        }
        catch
        {
            // A failed start must not leave the app, the browser or the database behind, whatever the
            // runner does next (DisposeAsync is safe to call twice).
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh browser context (own cookies, own language) with one page open.</summary>
    public async Task<IPage> NewPageAsync(string locale)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        // The Content-Security-Policy refuses inline scripts and styles; Chromium says so on the console
        // ("Refused to execute inline script …"). Every page opened here records it, and a journey fails on it.
        var refusals = new System.Collections.Concurrent.ConcurrentQueue<string>();
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Refused to", StringComparison.Ordinal)) refusals.Enqueue(message.Text);
        };
        _cspRefusals.AddOrUpdate(context, refusals);
        return await context.NewPageAsync();
    }

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IBrowserContext, System.Collections.Concurrent.ConcurrentQueue<string>> _cspRefusals = new();

    /// <summary>What the browser refused under the shop's Content-Security-Policy on pages of this context.</summary>
    public IReadOnlyList<string> CspRefusals(IBrowserContext context) =>
        _cspRefusals.TryGetValue(context, out var refusals) ? [.. refusals] : [];

    /// <summary>Whether anything the shop logged (every level, every category) contains <paramref name="text"/>.</summary>
    public bool LogsMention(string text) =>
        (_factory ?? throw new InvalidOperationException("The shop has not started.")).Logs.All.Contains(text, StringComparison.Ordinal);

    /// <summary>
    /// One pass of the verification worker, as its timer would run it every two seconds in a real shop (the
    /// timer is off under test so that other journeys' tickets are not acted on between their steps).
    /// </summary>
    public async Task RunVerificationPassAsync()
    {
        var factory = _factory ?? throw new InvalidOperationException("The shop has not been started.");
        var worker = factory.Services.GetServices<IHostedService>().OfType<VerificationWorker>().Single();
        Assert.NotNull(await worker.RunOnceAsync(CancellationToken.None));
    }

    /// <summary>
    /// Only <paramref name="email"/> on duty, with <paramref name="skills"/> (ticket categories): routing — a new
    /// buyer's dedicated agent, else the least-loaded on-duty agent with the skill — then has exactly one answer,
    /// whatever earlier journeys left open. The desk as it was comes back when the handle is disposed.
    /// </summary>
    public async Task<IAsyncDisposable> DeskOfOneAsync(string email, params string[] skills)
    {
        var sql = (_database ?? throw new InvalidOperationException("The shop has not been started.")).Sql;
        var before = await sql.RowsAsync("SELECT user_id, on_duty, skills FROM agent_profiles",
            r => (UserId: r.GetGuid(0), OnDuty: r.GetBoolean(1), Skills: r.GetFieldValue<string[]>(2)));
        Assert.Equal(before.Count, await sql.ExecuteAsync("""
            UPDATE agent_profiles a SET on_duty = (u.email = $1), skills = CASE WHEN u.email = $1 THEN $2 ELSE a.skills END
            FROM users u WHERE u.id = a.user_id
            """, email, skills));
        return new DeskRestore(sql, before);
    }

    /// <summary>
    /// One pass of the chat dispatcher (offers waiting chats to free agents), as its one-second timer would run it in a
    /// real shop; the timer is off under test so a journey decides when the queue moves.
    /// </summary>
    public async Task RunChatPassAsync()
    {
        var factory = _factory ?? throw new InvalidOperationException("The shop has not been started.");
        using var scope = factory.Services.CreateScope();
        var pass = await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(new Application.Features.Chats.DispatchChats());
        Assert.True(pass.Ran);
    }

    /// <summary>
    /// Nobody available for live chat and no chat left open by earlier journeys, so that the journey's own agent, once they
    /// go online, is the one the dispatcher offers to. Everybody is offline again when the handle is disposed.
    /// </summary>
    public async Task<IAsyncDisposable> QuietChatDeskAsync()
    {
        var sql = (_database ?? throw new InvalidOperationException("The shop has not been started.")).Sql;
        var before = await sql.RowsAsync("SELECT user_id, on_duty, availability FROM agent_profiles",
            r => (UserId: r.GetGuid(0), OnDuty: r.GetBoolean(1), Availability: r.GetString(2)));
        // On duty for tickets still (away), but nobody takes chats until the journey's agent goes online.
        await sql.ExecuteAsync("UPDATE agent_profiles SET availability = CASE WHEN on_duty THEN 'Away' ELSE 'Offline' END");
        await sql.ExecuteAsync("UPDATE chats SET status = 'Ended', ended_at = now() WHERE status IN ('Queued', 'Offered', 'Active')");
        return new ChatDeskRestore(sql, before);
    }

    private sealed class ChatDeskRestore(ShopSql sql, List<(Guid UserId, bool OnDuty, string Availability)> before) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var (userId, onDuty, availability) in before)
                await sql.ExecuteAsync("UPDATE agent_profiles SET on_duty = $2, availability = $3 WHERE user_id = $1", userId, onDuty, availability);
        }
    }

    private sealed class DeskRestore(ShopSql sql, List<(Guid UserId, bool OnDuty, string[] Skills)> before) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var (userId, onDuty, skills) in before)
                await sql.ExecuteAsync("UPDATE agent_profiles SET on_duty = $2, skills = $3 WHERE user_id = $1", userId, onDuty, skills);
        }
    }

    /// <summary>A new account of its own for a journey that changes the account (demo accounts are shared).</summary>
    public async Task<string> OpenAccountAsync(string role, string password)
    {
        var factory = _factory ?? throw new InvalidOperationException("The shop has not been started.");
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CardMall.Application.Accounts.ShopUser>>();
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.test";
        var user = new CardMall.Application.Accounts.ShopUser
        {
            Id = Guid.NewGuid(), UserName = email, Email = email, EmailConfirmed = true, DisplayName = role, CreatedAt = DateTimeOffset.UtcNow,
        };
        Assert.True((await users.CreateAsync(user, password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return email;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _browser = null;
        _playwright?.Dispose();
        _playwright = null;
        if (_factory is not null) await _factory.DisposeAsync();
        _factory = null;
        if (_database is not null) await _database.DisposeAsync();
        _database = null;
    }

    /// <summary>
    /// The address Kestrel actually bound (port 0 means "any free port"). Since .NET 10 the factory
    /// puts it in ClientOptions.BaseAddress; it is checked against the server's own list so that a
    /// default such as http://localhost/ can never be mistaken for it.
    /// </summary>
    private static Uri ListeningAddress(ShopFactory factory)
    {
        var bound = (factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Select(a => new Uri(a))
            .Where(a => a.Port > 0)
            .ToList();
        if (bound.Count == 0)
            throw new InvalidOperationException("Kestrel reports no bound address: the shop is not listening.");

        var fromOptions = factory.ClientOptions.BaseAddress;
        var address = bound.Any(a => a.Port == fromOptions.Port && a.Host == fromOptions.Host) ? fromOptions : bound[0];
        return new Uri($"{address.Scheme}://{address.Host}:{address.Port}/");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CardMall.sln"))) return dir.FullName;
        throw new InvalidOperationException($"CardMall.sln was not found above {AppContext.BaseDirectory}.");
    }
}
