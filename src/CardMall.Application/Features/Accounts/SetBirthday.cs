using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Outreach;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Accounts;

/// <summary>
/// A signed-in user gives (or takes back) their birthday for the shop's greeting: month and day, both or neither.
/// The year is not asked for — see <see cref="Birthday"/>.
/// </summary>
public sealed record SetBirthday(int? Month, int? Day) : ICommand<Unit>;

public sealed class SetBirthdayValidator : AbstractValidator<SetBirthday>
{
    public SetBirthdayValidator()
    {
        // Half a birthday is asked to be completed, on the half that is missing.
        RuleFor(x => x.Month).NotNull().When(x => x.Day is not null).WithMessage(_ => AppText.Get("Account.BirthdayIncomplete"));
        RuleFor(x => x.Day).NotNull().When(x => x.Month is not null).WithMessage(_ => AppText.Get("Account.BirthdayIncomplete"));
        RuleFor(x => x.Month).InclusiveBetween(1, 12).When(x => x.Month is not null).WithMessage(_ => AppText.Get("Account.BirthdayInvalid"));
        // 30 February is no day; 29 February is (greeted on the 28th in other years).
        RuleFor(x => x.Day).Must((x, day) => Birthday.IsValid(x.Month!.Value, day!.Value))
            .When(x => x.Day is not null && x.Month is >= 1 and <= 12).WithMessage(_ => AppText.Get("Account.BirthdayInvalid"));
        RuleFor(x => x.Day).InclusiveBetween(1, 31).When(x => x.Day is not null && x.Month is null or < 1 or > 12).WithMessage(_ => AppText.Get("Account.BirthdayInvalid"));
    }
}

internal sealed class SetBirthdayHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<SetBirthday, Unit>
{
    public async Task<Unit> Handle(SetBirthday request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new NotFoundException("Account not found.");
        var birthday = Birthday.From(request.Month, request.Day);
        (user.BirthMonth, user.BirthDay) = (birthday?.Month, birthday?.Day);
        return Unit.Value;
    }
}

/// <summary>The signed-in user's birthday as stored, for the account page; null when none is given.</summary>
public sealed record GetBirthday : IRequest<Birthday?>;

internal sealed class GetBirthdayHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetBirthday, Birthday?>
{
    public async Task<Birthday?> Handle(GetBirthday request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var stored = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.BirthMonth, u.BirthDay }).FirstOrDefaultAsync(cancellationToken);
        return Birthday.From(stored?.BirthMonth, stored?.BirthDay);
    }
}
