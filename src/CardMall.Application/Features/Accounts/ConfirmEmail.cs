using CardMall.Application.Abstractions;
using CardMall.Application.Accounts;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace CardMall.Application.Features.Accounts;

/// <summary>
/// The link from the confirmation e-mail: confirms the address, after which the account receives the shop's
/// e-mails. A wrong, expired (one day) or tampered link confirms nothing, and says only that.
/// </summary>
public sealed record ConfirmEmail(Guid UserId, string Code) : ICommand<bool>;

internal sealed class ConfirmEmailHandler(UserManager<ShopUser> users) : IRequestHandler<ConfirmEmail, bool>
{
    public async Task<bool> Handle(ConfirmEmail request, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(request.UserId.ToString()) is not { } user) return false;
        string token;
        try
        {
            token = System.Text.Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(request.Code));
        }
        catch (FormatException)
        {
            return false;
        }
        return (await users.ConfirmEmailAsync(user, token)).Succeeded;
    }
}
