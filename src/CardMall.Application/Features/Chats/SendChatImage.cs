using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Chats;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// The buyer sends a screenshot in their chat. The evidence rules of tickets hold (PNG, JPEG or WebP recognised by its
/// bytes, at most the ticket image size) and it counts against the same daily per-buyer quota, so a chat is no way
/// round the ticket limits. The image is stored, then a message carrying it is posted; somebody else's chat is a 404.
/// </summary>
public sealed record SendChatImage(Guid ChatId, EvidenceUpload Image) : ICommand<ChatMessageView>;

public sealed class SendChatImageValidator : AbstractValidator<SendChatImage>
{
    public SendChatImageValidator(IOptions<AfterSalesOptions> options) =>
        RuleFor(x => x.Image).SetValidator(new EvidenceUploadValidator(options));
}

internal sealed class SendChatImageHandler(ICardMallDb db, ICurrentUser currentUser, ChatDesk desk, EvidenceQuota quota)
    : IRequestHandler<SendChatImage, ChatMessageView>
{
    public async Task<ChatMessageView> Handle(SendChatImage request, CancellationToken ct)
    {
        var buyerId = currentUser.RequireUserId();
        var chat = await desk.LockOwnAsync(request.ChatId, ct);
        if (!chat.IsOpen) throw new Domain.Common.RuleBrokenException(Domain.Common.ErrorCodes.InvalidState, "Chats.Ended");
        await quota.EnsureRoomAsync(buyerId, [request.Image], nameof(request.Image), ct);
        var image = request.Image.Content;
        var attachment = new ChatAttachment(chat.Id, EvidenceRules.SafeName(request.Image.FileName), EvidenceImage.DetectContentType(image)!, image, buyerId, desk.Now);
        db.ChatAttachments.Add(attachment);
        // The body says "an image" in the buyer's words, so the transcript a ticket gets reads sensibly.
        var message = chat.Post(ChatAuthor.Buyer, buyerId, AppText.Get("Chats.ImageSent"), desk.Now, attachment.Id);
        return ChatWording.View(message, null);
    }
}
