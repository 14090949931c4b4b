using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Chats;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>What a chat message may be, wherever it is written: not empty, at most <see cref="ChatMessage.MaxLength"/> characters.</summary>
public static class ChatTextRule
{
    public static IRuleBuilderOptions<T, string> IsChatText<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage(_ => AppText.Get("Chats.TextRequired"))
            .MaximumLength(ChatMessage.MaxLength).WithMessage(_ => AppText.Format("Chats.TextTooLong", ChatMessage.MaxLength));
}

/// <summary>The buyer writes in their chat. Stored (numbered) before anybody is told; somebody else's chat is a 404.</summary>
public sealed record PostChatMessage(Guid ChatId, string Body) : ICommand<ChatMessageView>;

public sealed class PostChatMessageValidator : AbstractValidator<PostChatMessage>
{
    public PostChatMessageValidator() => RuleFor(x => x.Body).IsChatText();
}

internal sealed class PostChatMessageHandler(ICurrentUser currentUser, ChatDesk desk) : IRequestHandler<PostChatMessage, ChatMessageView>
{
    public async Task<ChatMessageView> Handle(PostChatMessage request, CancellationToken ct)
    {
        var chat = await desk.LockOwnAsync(request.ChatId, ct);
        var message = chat.Post(ChatAuthor.Buyer, currentUser.RequireUserId(), request.Body, desk.Now);
        return ChatWording.View(message, null);
    }
}
