using Microsoft.AspNetCore.SignalR;

// The machine's ceiling for live chat: Kestrel and SignalR alone. The hub has CardMall's chat hub's method names and
// message shape (Join a chat's group, Send as the buyer, Answer as the agent, "message" to the group with the time
// it was stamped), but stores nothing: what CardMall adds on top is its use cases and PostgreSQL.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddSignalR();
var app = builder.Build();
app.MapHub<EchoChatHub>("/hubs/chat");
app.Run();

public sealed class EchoChatHub : Hub
{
    private static int _seq;

    public async Task<object> Join(Guid chatId, int afterSeq, bool asStaff)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, "chat:" + chatId);
        return new { chatId, messages = Array.Empty<object>() };
    }

    public Task<object> Send(Guid chatId, string body) => Post(chatId, "buyer", body);

    public Task<object> Answer(Guid chatId, string body, bool isInternal) => Post(chatId, "agent", body);

    private async Task<object> Post(Guid chatId, string author, string body)
    {
        var message = new { chatId, seq = Interlocked.Increment(ref _seq), author, body, at = DateTimeOffset.UtcNow };
        await Clients.Group("chat:" + chatId).SendAsync("message", message);
        return message;
    }
}
