using CardMall.Application.Features.Accounts;
using MediatR;

namespace CardMall.Web.Identity;

/// <summary>What follows every completed sign-in, with or without a second step.</summary>
public static class SignedIn
{
    public static async Task WelcomeAsync(HttpContext http, IMediator mediator, Guid userId, CancellationToken ct)
    {
        // A sign-in from a device this account has not used before is told to its owner.
        await DeviceCookie.NoticeSignInAsync(http, mediator, userId, ct);
        await mediator.Send(new RememberLanguage(userId, System.Globalization.CultureInfo.CurrentUICulture.Name), ct);
    }
}
