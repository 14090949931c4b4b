using CardMall.Application.Abstractions;
using CardMall.Domain.Chats;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// Staff write in a chat they have — an answer the buyer sees, or an internal note (<paramref name="Internal"/>) only
/// staff see. A supervisor may join any chat and write in it.
/// </summary>
public sealed record AnswerChat(Guid ChatId, string Body, bool Internal = false) : ICommand<ChatMessageView>;

public sealed class AnswerChatValidator : AbstractValidator<AnswerChat>
{
    public AnswerChatValidator() => RuleFor(x => x.Body).IsChatText();
}

internal sealed class AnswerChatHandler(ICurrentUser currentUser, ChatDesk desk) : IRequestHandler<AnswerChat, ChatMessageView>
{
    public async Task<ChatMessageView> Handle(AnswerChat request, CancellationToken ct)
    {
        var chat = await desk.LockForStaffAsync(request.ChatId, ct);
        var me = currentUser.RequireUserId();
        var message = chat.Post(request.Internal ? ChatAuthor.Note : ChatAuthor.Agent, me, request.Body, desk.Now, supervisor: desk.IsSupervisor);
        return ChatWording.View(message, await desk.NameOfAsync(me, ct));
    }
}
