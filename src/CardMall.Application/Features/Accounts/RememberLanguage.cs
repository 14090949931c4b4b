using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Accounts;

/// <summary>
/// Remembers the language a user reads the shop in (on registration, sign-in and the language switch), so
/// what the shop tells them while they are away — e-mails, the system's messages on their tickets, risk
/// notices — is worded in that language and not in the shop's default. A language the shop is not written in
/// is ignored rather than stored.
/// </summary>
public sealed record RememberLanguage(Guid UserId, string Culture) : ICommand<Unit>;

internal sealed class RememberLanguageHandler(ICardMallDb db) : IRequestHandler<RememberLanguage, Unit>
{
    public async Task<Unit> Handle(RememberLanguage request, CancellationToken cancellationToken)
    {
        var culture = VisitorLanguage.Supported.FirstOrDefault(c => string.Equals(c, request.Culture, StringComparison.OrdinalIgnoreCase));
        if (culture is null) return Unit.Value;
        await db.Users.Where(u => u.Id == request.UserId && u.PreferredCulture != culture)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PreferredCulture, culture), cancellationToken);
        return Unit.Value;
    }
}
