using System.Security.Claims;
using System.Threading.RateLimiting;
using CardMall.Domain.Common;
using CardMall.Web.Hosting;
using FluentValidation;
using Microsoft.AspNetCore.SignalR;

namespace CardMall.Web.Chats;

/// <summary>
/// What the hub answers when a use case refuses: the rule's own words (localized, never a stack trace) as a
/// <see cref="HubException"/> the page shows beside the message box; anything else is the framework's generic error.
/// And a person's pace: at most <see cref="PerMinute"/> messages (or typing signals) a minute per user (counted where
/// <see cref="RateLimitCounters"/> counts: this node, or every node through Redis),
/// as for the chats API — a script that floods the line is refused, a person typing never is.
/// </summary>
public sealed class ChatHubGuard(RateLimitCounters counters)
{
    public const int PerMinute = 30;

    private static readonly string[] Paced = [nameof(ChatHub.Send), nameof(ChatHub.Answer), nameof(ChatHub.Typing)];

    private readonly PartitionedRateLimiter<string> _pace = PartitionedRateLimiter.Create<string, string>(key =>
        counters.FixedWindow("hub:" + key, new FixedWindowRateLimiterOptions
        {
            // The page signals typing at most every 2 s: twice the pace of messages, never reached by a person.
            PermitLimit = key.StartsWith(nameof(ChatHub.Typing), StringComparison.Ordinal) ? 2 * PerMinute : PerMinute,
            Window = TimeSpan.FromMinutes(1),
        }));

    /// <summary>Runs one hub method for <paramref name="caller"/>: paced when it writes, its refusals worded.</summary>
    public async Task<T> RunAsync<T>(HubCallerContext caller, string method, Func<Task<T>> work)
    {
        if (Paced.Contains(method))
        {
            var who = caller.User?.FindFirstValue(ClaimTypes.NameIdentifier) ?? caller.ConnectionId;
            using var lease = await _pace.AcquireAsync(method + ":" + who);
            if (!lease.IsAcquired) throw new HubException(ErrorCodes.RateLimited);
        }
        try
        {
            return await work();
        }
        catch (DomainRuleException e)
        {
            throw new HubException(e.Message);
        }
        catch (ValidationException e)
        {
            throw new HubException(string.Join(" ", e.Errors.Select(x => x.ErrorMessage).Distinct()));
        }
        catch (UnauthorizedAccessException)
        {
            throw new HubException(ErrorCodes.Forbidden);
        }
    }
}
