// bench/chat.sh's load generator. Usage:
//   chat-load cardmall URL BUYERS.txt AGENTS.txt MESSAGES WEB_PID   (BUYERS: "userId apiKey email password"; AGENTS: "userId email password")
//   chat-load echo URL BUYERS AGENTS MESSAGES WEB_PID                 (the bare SignalR ceiling: counts instead of files)
// Every buyer starts a chat and joins it on its own hub connection; agents join the chats given to them. Then each
// buyer sends MESSAGES messages one after another, each answered by its agent as it arrives. Latency is the time from
// the message's stamp (stored, in CardMall) to its arrival at the other side. Prints one JSON line of results.
// CardMall mode asks BENCH_PSQL (a psql command line) to hand the queued chats to the agents, since the accept door
// is the agent console's; the dispatcher is off in the bench so that nothing else moves them.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

var (mode, url, messages, webPid) = (args[0], args[1].TrimEnd('/'), int.Parse(args[4]), int.Parse(args[5]));
var echo = mode == "echo";
var buyers = echo
    ? Enumerable.Range(0, int.Parse(args[2])).Select(_ => new Person(Guid.NewGuid(), "", "", "")).ToList()
    : File.ReadAllLines(args[2]).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(p => new Person(Guid.Parse(p[0]), p[1], p[2], p[3])).ToList();
var agents = echo
    ? Enumerable.Range(0, int.Parse(args[3])).Select(_ => new Person(Guid.NewGuid(), "", "", "")).ToList()
    : File.ReadAllLines(args[3]).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(p => new Person(Guid.Parse(p[0]), "", p[1], p[2])).ToList();

var latencies = new ConcurrentBag<double>();
var expected = buyers.Count * messages * 2;
var received = 0;
var done = new TaskCompletionSource();
var watch = Stopwatch.StartNew();
void Arrived(JsonElement m)
{
    latencies.Add((DateTimeOffset.UtcNow - m.GetProperty("at").GetDateTimeOffset()).TotalMilliseconds);
    if (Interlocked.Increment(ref received) == expected) done.TrySetResult();
}

// Agents first: each on its own connection.
var agentHubs = new Dictionary<Guid, HubConnection>();
await Parallel.ForEachAsync(agents, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (a, _) =>
{
    var hub = await ConnectAsync(echo ? null : await SignInAsync(a.Email, a.Password));
    hub.On<JsonElement>("message", async m =>
    {
        if (m.GetProperty("author").GetString() != "buyer") return;
        Arrived(m);
        await hub.InvokeAsync<JsonElement>("Answer", m.GetProperty("chatId").GetGuid(), "re: " + m.GetProperty("body").GetString(), false);
    });
    lock (agentHubs) agentHubs[a.UserId] = hub;
});
Console.Error.WriteLine($"{agents.Count} agents connected at {watch.Elapsed.TotalSeconds:0} s");

// Buyers: sign in, start a chat, connect and join it.
var chats = new ConcurrentDictionary<Guid, (HubConnection Hub, int Sent)>();
var buyerHubs = new ConcurrentBag<HubConnection>();
await Parallel.ForEachAsync(buyers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (b, _) =>
{
    Guid chatId;
    if (echo) chatId = Guid.NewGuid();
    else
    {
        using var api = new HttpClient { BaseAddress = new Uri(url) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", b.ApiKey);
        var started = await api.PostAsJsonAsync("/api/v1/chats", new { text = "你好，我的卡密无法兑换" });
        started.EnsureSuccessStatusCode();
        chatId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chatId").GetGuid();
    }
    var hub = await ConnectAsync(echo ? null : await SignInAsync(b.Email, b.Password));
    hub.On<JsonElement>("message", async m =>
    {
        if (m.GetProperty("author").GetString() != "agent") return;
        Arrived(m);
        var id = m.GetProperty("chatId").GetGuid();
        var next = chats.AddOrUpdate(id, _ => (hub, 1), (_, c) => (c.Hub, c.Sent + 1));
        if (next.Sent < messages) await hub.InvokeAsync<JsonElement>("Send", id, $"message {next.Sent + 1}");
    });
    await hub.InvokeAsync<JsonElement>("Join", chatId, 0, false);
    chats[chatId] = (hub, 0);
    buyerHubs.Add(hub);
});
Console.Error.WriteLine($"{buyers.Count} buyers connected and joined at {watch.Elapsed.TotalSeconds:0} s");

// Each chat to an agent: in CardMall through the database (see the header), in the ceiling round robin.
var assigned = echo
    ? chats.Keys.Select((c, i) => (Chat: c, Agent: agents[i % agents.Count].UserId)).ToList()
    : AssignInDatabase();
await Parallel.ForEachAsync(assigned, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (x, _) =>
    await agentHubs[x.Agent].InvokeAsync<JsonElement>("Join", x.Chat, 0, true));
var rssConnected = Rss("VmRSS");
Console.Error.WriteLine($"{assigned.Count} chats with agents at {watch.Elapsed.TotalSeconds:0} s; web RSS {rssConnected} MiB");

// Go: every buyer sends its first message, spread over two seconds; the rest follow each answer.
var go = Stopwatch.StartNew();
await Parallel.ForEachAsync(chats, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, ct) =>
{
    await Task.Delay(Random.Shared.Next(2000), ct);
    await c.Value.Hub.InvokeAsync<JsonElement>("Send", c.Key, "message 1", ct);
});
await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromMinutes(5)));
var seconds = go.Elapsed.TotalSeconds;
var sorted = latencies.OrderBy(l => l).ToArray();
double Pct(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
Console.WriteLine(JsonSerializer.Serialize(new
{
    mode, buyers = buyers.Count, agents = agents.Count, expected, received, seconds = Math.Round(seconds, 1),
    perSecond = Math.Round(received / seconds), p50Ms = Math.Round(Pct(0.50), 1), p99Ms = Math.Round(Pct(0.99), 1),
    maxMs = Math.Round(sorted.LastOrDefault(), 1), rssConnectedMiB = rssConnected, rssPeakMiB = Rss("VmHWM"),
}));
foreach (var h in buyerHubs.Concat(agentHubs.Values)) await h.DisposeAsync();
return received == expected ? 0 : 1;

async Task<HubConnection> ConnectAsync(string? cookie)
{
    var hub = new HubConnectionBuilder().WithUrl(url + "/hubs/chat", o =>
    {
        o.Transports = HttpTransportType.WebSockets;
        o.SkipNegotiation = true;
        if (cookie is not null) o.Headers["Cookie"] = cookie;
    }).Build();
    hub.ServerTimeout = TimeSpan.FromMinutes(2);
    await hub.StartAsync();
    return hub;
}

async Task<string> SignInAsync(string email, string password)
{
    var cookies = new CookieContainer();
    using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
    var form = await http.GetStringAsync("/Account/Login");
    var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    var posted = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["__RequestVerificationToken"] = token, ["Input.Email"] = email, ["Input.Password"] = password,
    }));
    var auth = cookies.GetCookies(new Uri(url))["cardmall.auth"] ?? throw new InvalidOperationException($"sign-in of {email} failed: {(int)posted.StatusCode}");
    return $"{auth.Name}={auth.Value}";
}

List<(Guid Chat, Guid Agent)> AssignInDatabase()
{
    const string sql = """
        WITH a AS (SELECT user_id, (row_number() OVER (ORDER BY user_id) - 1)::int AS i, count(*) OVER () AS n FROM agent_profiles WHERE on_duty),
             c AS (SELECT id, (row_number() OVER (ORDER BY queued_at, id) - 1)::int AS i FROM chats WHERE status IN ('Queued', 'Offered'))
        UPDATE chats SET status = 'Active', agent_id = a.user_id, accepted_at = now(), offered_at = NULL
        FROM c JOIN a ON a.i = c.i % a.n WHERE chats.id = c.id RETURNING chats.id, chats.agent_id
        """;
    var psql = Environment.GetEnvironmentVariable("BENCH_PSQL")!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var start = new ProcessStartInfo(psql[0]) { RedirectStandardOutput = true };
    foreach (var a in psql.Skip(1).Concat(["-F", " ", "-c", sql])) start.ArgumentList.Add(a);
    using var p = Process.Start(start)!;
    var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => l.Contains(' ') && !l.StartsWith("UPDATE", StringComparison.Ordinal)).ToList();
    p.WaitForExit();
    return [.. lines.Select(l => l.Split(' ')).Select(x => (Guid.Parse(x[0]), Guid.Parse(x[1])))];
}

int Rss(string field) => File.ReadAllLines($"/proc/{webPid}/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
    .Select(l => int.Parse(Regex.Match(l, @"\d+").Value) / 1024).FirstOrDefault();

sealed record Person(Guid UserId, string ApiKey, string Email, string Password);
