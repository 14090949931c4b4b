using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using CardMall.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// How chat use cases take hold of a chat: the buyer's own (somebody else's is a 404, as for tickets), or staff's,
/// who never handle a chat about their own purchase. What happens to a chat is a method of <see cref="Chat"/>.
/// </summary>
internal sealed class ChatDesk(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock)
{
    /// <summary>Roles that answer chats (the ticket desk's).</summary>
    public static readonly string[] WorkRoles = ShopRoles.TicketWork;

    public DateTimeOffset Now => clock.GetUtcNow();

    public bool IsSupervisor => currentUser.IsInRole(ShopRoles.Supervisor) || currentUser.IsInRole(ShopRoles.Admin);

    public async Task<Chat> LockOwnAsync(Guid chatId, CancellationToken ct)
    {
        var userId = currentUser.RequireUserId();
        var chat = await db.Locks.LockAsync<Chat>(chatId, ct);
        return chat is not null && chat.BuyerId == userId ? chat : throw NotFound();
    }

    public async Task<Chat> LockForStaffAsync(Guid chatId, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(WorkRoles);
        var chat = await db.Locks.LockAsync<Chat>(chatId, ct) ?? throw NotFound();
        if (chat.BuyerId == me) throw new DomainRuleException(ErrorCodes.Forbidden, AppText.Get("Tickets.OwnPurchase"));
        return chat;
    }

    /// <summary>How a member of staff is named to buyers: their display name, never their e-mail address.</summary>
    public async Task<string> NameOfAsync(Guid userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) is { Length: > 0 } name ? name : AppText.Get("Chats.AnAgent");

    public static NotFoundException NotFound() => new(AppText.Get("Chats.NotFound"));
}
