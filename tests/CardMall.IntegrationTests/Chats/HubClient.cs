using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using AngleSharp.Html.Parser;
using CardMall.TestSupport;
using CardMall.Web.Chats;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.SignalR.Client;

namespace CardMall.IntegrationTests.Chats;

/// <summary>
/// Somebody on the chat hub with the .NET SignalR client, signed in with the shop's cookie as a browser is, over a
/// WebSocket of the test server. What the hub sends arrives in per-event inboxes the test reads in order.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private readonly Dictionary<string, Channel<JsonElement>> _inboxes = [];

    private HubClient(HubConnection connection)
    {
        Connection = connection;
        foreach (var name in new[] { "message", "chat", "offer", "place", "queue", "read", "typing", "alert" })
        {
            var inbox = Channel.CreateUnbounded<JsonElement>();
            _inboxes[name] = inbox;
            connection.On<JsonElement>(name, e => inbox.Writer.TryWrite(e));
        }
    }

    public HubConnection Connection { get; }

    public static async Task<HubClient> ConnectAsync(ShopFactory node, string email, string password)
    {
        var cookie = await SignInAsync(node, email, password);
        var server = node.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, ChatHub.Path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, ct) =>
                {
                    var ws = server.CreateWebSocketClient();
                    ws.ConfigureRequest = r => r.Headers.Cookie = cookie;
                    return await ws.ConnectAsync(context.Uri, ct);
                };
            })
            .Build();
        var client = new HubClient(connection);
        await connection.StartAsync();
        return client;
    }

    /// <summary>The chat as the hub's Join answers it (state and the messages after <paramref name="afterSeq"/>), as JSON.</summary>
    public Task<JsonElement> JoinAsync(Guid chatId, int afterSeq, bool asStaff = false) =>
        Connection.InvokeAsync<JsonElement>("Join", chatId, afterSeq, asStaff);

    /// <summary>The next event of <paramref name="name"/> that matches, skipping others of that name; fails after a generous limit.</summary>
    public async Task<JsonElement> NextAsync(string name, Func<JsonElement, bool>? matching = null)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var e = await _inboxes[name].Reader.ReadAsync(limit.Token);
                if (matching is null || matching(e)) return e;
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"No '{name}' event arrived within 20 s");
        }
    }

    /// <summary>Every event of <paramref name="name"/> received so far and not yet read.</summary>
    public IReadOnlyList<JsonElement> Drain(string name)
    {
        var list = new List<JsonElement>();
        while (_inboxes[name].Reader.TryRead(out var e)) list.Add(e);
        return list;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    /// <summary>Signs in through the login form and returns the auth cookie header, as a browser would hold it.</summary>
    private static async Task<string> SignInAsync(ShopFactory node, string email, string password)
    {
        var cookies = new CookieContainer();
        using var http = node.CreateDefaultClient(new CookieContainerHandler(cookies));
        var login = await http.GetStringAsync("/Account/Login");
        var form = new HtmlParser().ParseDocument(login).QuerySelector("form[data-testid=login-form]")!;
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var posted = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
        Assert.True(posted.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"sign-in answered {(int)posted.StatusCode}");
        var header = cookies.GetCookieHeader(http.BaseAddress!);
        Assert.Contains("cardmall.auth=", header, StringComparison.Ordinal);
        return header;
    }
}
