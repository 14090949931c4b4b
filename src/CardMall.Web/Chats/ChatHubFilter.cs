using System.Security.Claims;
using System.Threading.RateLimiting;
using CardMall.Domain.Common;
using FluentValidation;
using Microsoft.AspNetCore.SignalR;

namespace CardMall.Web.Chats;

/// <summary>
/// What the hub answers when a use case refuses: the rule's own words (localized, never a stack trace) as a
/// <see cref="HubException"/> the page shows beside the message box; anything else is the framework's generic error.
/// And a person's pace: at most <see cref="PerMinute"/> messages (or typing signals) a minute per user on this node,
/// as for the chats API — a script that floods the line is refused, a person typing never is.
/// </summary>
public sealed class ChatHubFilter : IHubFilter
{
    public const int PerMinute = 30;

    private static readonly string[] Paced = [nameof(ChatHub.Send), nameof(ChatHub.Answer), nameof(ChatHub.Typing)];

    private readonly PartitionedRateLimiter<string> _pace = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = PerMinute, Window = TimeSpan.FromMinutes(1) }));

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var method = invocationContext.HubMethodName;
        if (Paced.Contains(method))
        {
            var who = invocationContext.Context.User?.FindFirstValue(ClaimTypes.NameIdentifier) ?? invocationContext.Context.ConnectionId;
            using var lease = _pace.AttemptAcquire(method + ":" + who);
            if (!lease.IsAcquired) throw new HubException(ErrorCodes.RateLimited);
        }
        try
        {
            return await next(invocationContext);
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
