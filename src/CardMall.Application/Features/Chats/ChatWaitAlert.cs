using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Notifications;
using CardMall.Domain.Chats;
using CardMall.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// Supervisors hear when the queue's longest wait passes the target time to a person (<see cref="ChatOptions.WaitTarget"/>):
/// an in-app notice and an <c>alert</c> on the live line to the supervisors watching the queue. Once per episode of the
/// queue being over target, not once per chat: at a promotion peak a chat passes the target every few seconds, and a
/// notice for each would bury the one that matters. Each chat that passes the target is marked (once, by the
/// dispatcher pass that holds its lock); a pass alerts only when it marked a chat and no chat marked before is still
/// waiting — so the episode lasts until every chat that waited too long has been taken or has left
/// (docs/decisions/0036). One pass of <see cref="DispatchChats"/> per instance.
/// </summary>
internal sealed class ChatWaitAlert(ICardMallDb db, IOptions<ChatOptions> options, IChatLine line, AfterCommit afterCommit)
{
    private readonly List<Chat> _newlyOver = [];

    /// <summary>Looks at one waiting chat the pass holds locked: marks it when its wait just passed the target.</summary>
    public void Look(Chat chat, DateTimeOffset now)
    {
        if (chat.PassedWaitTarget(now, options.Value.WaitTarget)) _newlyOver.Add(chat);
    }

    /// <summary>Alerts the supervisors when this pass began an episode; true when it did.</summary>
    public async Task<bool> SendIfNewAsync(DateTimeOffset now, int waiting, CancellationToken ct)
    {
        if (_newlyOver.Count == 0) return false;
        var marked = _newlyOver.Select(c => c.Id).ToList();
        if (await db.Chats.AnyAsync(c => (c.Status == ChatStatus.Queued || c.Status == ChatStatus.Offered)
                                         && c.WaitAlertedAt != null && !marked.Contains(c.Id), ct)) return false;
        var target = (int)options.Value.WaitTarget.TotalSeconds;
        var longest = (int)_newlyOver.Max(c => now - c.QueuedAt).TotalSeconds;
        await db.SendToRolesAsync(Notify.Supervisors, NotificationKind.ChatWaitOverTarget, "/Admin/Chats", now, email: false, ct,
            longest.ToString(CultureInfo.InvariantCulture), target.ToString(CultureInfo.InvariantCulture), waiting.ToString(CultureInfo.InvariantCulture));
        var alert = new ChatQueueAlert(longest, target, waiting, now);
        afterCommit.Add(c => line.QueueOverTargetAsync(alert, c));
        return true;
    }
}

/// <summary>What supervisors are told when the queue goes over target (the live line's <c>alert</c> event).</summary>
public sealed record ChatQueueAlert(int LongestWaitSeconds, int TargetSeconds, int Waiting, DateTimeOffset At);
