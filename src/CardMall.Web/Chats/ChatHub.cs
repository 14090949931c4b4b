using CardMall.Application.Abstractions;
using CardMall.Application.Features.Chats;
using CardMall.Domain.Accounts;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CardMall.Web.Chats;

/// <summary>
/// The live line of chats (<c>/hubs/chat</c>). Every method sends the same use case the API and pages use, so the
/// rules (ownership, roles, own purchase) hold whichever door a message comes through; the use case stores the
/// message and the live line tells the chat's group once it is committed. A connection joins a chat's group only
/// through <see cref="Join"/>, which is where somebody else's chat is refused; a reconnecting client passes the last
/// message number it saw and gets what it missed.
/// <para>Client events: <c>message</c>, <c>chat</c> (status and queue place), <c>offer</c>, <c>typing</c>, <c>read</c>, <c>queue</c>.</para>
/// </summary>
[Authorize]
public sealed class ChatHub(IMediator mediator, ChatHubGuard guard) : Hub
{
    public const string Path = "/hubs/chat";

    public static string ChatGroup(Guid chatId) => "chat:" + chatId;

    public static string StaffGroup(Guid chatId) => "chat-staff:" + chatId;

    public const string Supervisors = "supervisors";

    public override async Task OnConnectedAsync()
    {
        if (Context.User?.IsInRole(ShopRoles.Supervisor) == true || Context.User?.IsInRole(ShopRoles.Admin) == true)
            await Groups.AddToGroupAsync(Context.ConnectionId, Supervisors);
        await base.OnConnectedAsync();
    }

    /// <summary>Opens a chat on this connection: its state and the messages after <paramref name="afterSeq"/>.</summary>
    public async Task<ChatView> Join(Guid chatId, int afterSeq, bool asStaff)
    {
        var view = await guard.RunAsync(Context, nameof(Join), () => mediator.Send(new GetChat(chatId, afterSeq, asStaff && IsStaff)));
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroup(chatId));
        if (asStaff && IsStaff) await Groups.AddToGroupAsync(Context.ConnectionId, StaffGroup(chatId));
        Context.Items[chatId] = asStaff && IsStaff ? "agent" : "buyer";
        return view;
    }

    public Task<ChatMessageView> Send(Guid chatId, string body) =>
        guard.RunAsync(Context, nameof(Send), () => mediator.Send(new PostChatMessage(chatId, body ?? "")));

    public Task<ChatMessageView> Answer(Guid chatId, string body, bool isInternal) =>
        guard.RunAsync(Context, nameof(Answer), () => mediator.Send(new AnswerChat(chatId, body ?? "", isInternal)));

    public Task<bool> Read(Guid chatId, int seq) =>
        guard.RunAsync(Context, nameof(Read), () => mediator.Send(new MarkChatRead(chatId, seq, ByStaff: Context.Items[chatId] as string == "agent")));

    /// <summary>"…is typing": not stored, only to the others who joined the chat (never an internal note's draft to the buyer).</summary>
    public Task<bool> Typing(Guid chatId) => guard.RunAsync(Context, nameof(Typing), async () =>
    {
        if (Context.Items[chatId] is not string side) return false;
        await Clients.OthersInGroup(ChatGroup(chatId)).SendAsync("typing", new { chatId, author = side });
        return true;
    });

    private bool IsStaff => ShopRoles.TicketWork.Any(r => Context.User?.IsInRole(r) == true);
}
