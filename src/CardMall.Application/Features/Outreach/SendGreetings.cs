using CardMall.Application.Abstractions;
using CardMall.Application.Behaviors;
using CardMall.Application.Features.Notifications;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Notifications;
using CardMall.Domain.Outreach;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Outreach;

/// <summary>
/// One pass of the greeter (情感触点): a buyer whose own day — in the time zone on their account — is their
/// birthday, Spring Festival or Mid-Autumn, and whose clock has reached <see cref="GreetingOptions.FromHour"/>,
/// gets one greeting in the notification centre. In-app only: a greeting is a courtesy, not news, and a shop
/// that mails every buyer on a holiday is one more sender in the spam folder (docs/decisions/0035).
/// <para>
/// Somewhere on Earth it is yesterday, today or tomorrow (UTC), so the pass looks at those three days. On a
/// holiday it walks all buyers not yet greeted that day, in keyset pages of <see cref="PageSize"/>; on any other
/// day only those whose birthday it is (an index on month and day). Each page is its own short transaction.
/// A greeting is a row keyed by buyer and day, written with ON CONFLICT DO NOTHING, and only its writer sends:
/// two passes, on one node or two, greet once. A session lock lets one pass run at a time, so nodes do not walk
/// the same buyers twice. Not an <see cref="ICommand{T}"/>: one holiday's greetings are no single transaction.
/// </para>
/// </summary>
public sealed record SendGreetings(int PageSize = 500) : IRequest<GreetingPass>;

public sealed class SendGreetingsValidator : AbstractValidator<SendGreetings>
{
    public SendGreetingsValidator() => RuleFor(x => x.PageSize).InclusiveBetween(1, 5000);
}

internal sealed class SendGreetingsHandler(ICardMallDb db, IOptions<GreetingOptions> options, TimeProvider clock, ILogger<SendGreetingsHandler> logger)
    : IRequestHandler<SendGreetings, GreetingPass>
{
    /// <summary>Advisory lock key of the greeter ("greeting" in ASCII).</summary>
    private const long LockKey = 0x6772656574696e67;

    private sealed record Candidate(Guid Id, string TimeZoneId, int? BirthMonth, int? BirthDay);

    public async Task<GreetingPass> Handle(SendGreetings request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Switches.Any) return new GreetingPass(Ran: false, 0);
        await using var alone = await db.Locks.TryAloneAcrossTransactionsAsync(LockKey, cancellationToken);
        if (alone is null) return new GreetingPass(Ran: false, 0);

        var now = clock.GetUtcNow();
        var utcDay = DateOnly.FromDateTime(now.UtcDateTime);
        var buyerRoles = await db.Roles.Where(r => r.Name == ShopRoles.Buyer || r.Name == ShopRoles.Reseller).Select(r => r.Id).ToListAsync(cancellationToken);
        var greeted = 0;
        foreach (var day in new[] { utcDay.AddDays(-1), utcDay, utcDay.AddDays(1) })
        {
            var holiday = ChineseHolidays.On(day) is { } h && settings.Switches.IsOn(h);
            if (holiday || settings.Birthday)
                greeted += await GreetAsync(day, birthdaysOnly: !holiday, buyerRoles, now, request.PageSize, cancellationToken);
        }
        if (greeted > 0) logger.LogInformation("Greeter: {Greeted} buyers greeted", greeted);
        return new GreetingPass(Ran: true, greeted);
    }

    private async Task<int> GreetAsync(DateOnly day, bool birthdaysOnly, List<Guid> buyerRoles, DateTimeOffset now, int pageSize, CancellationToken ct)
    {
        var settings = options.Value;
        var (month, dayOfMonth) = (day.Month, day.Day);
        // A 29 February birthday is kept on the 28th when the year has no 29th (Birthday.FallsOn).
        var leapDayToo = month == 2 && dayOfMonth == 28 && !DateTime.IsLeapYear(day.Year);
        var greeted = 0;
        var after = Guid.Empty;
        while (true)
        {
            var query = db.Users.AsNoTracking().Where(u => u.Id.CompareTo(after) > 0 && u.DisabledAt == null
                && db.UserRoles.Any(r => r.UserId == u.Id && buyerRoles.Contains(r.RoleId))
                && !db.Greetings.Any(g => g.UserId == u.Id && g.Day == day));
            if (birthdaysOnly)
                query = query.Where(u => (u.BirthMonth == month && u.BirthDay == dayOfMonth) || (leapDayToo && u.BirthMonth == 2 && u.BirthDay == 29));
            var page = await query.OrderBy(u => u.Id).Take(pageSize)
                .Select(u => new Candidate(u.Id, u.TimeZoneId, u.BirthMonth, u.BirthDay)).ToListAsync(ct);
            if (page.Count == 0) return greeted;
            after = page[^1].Id;

            var due = page
                .Where(c => TimeZoneInfo.ConvertTime(now, BuyerTime.Zone(c.TimeZoneId)) is var local
                    && DateOnly.FromDateTime(local.DateTime) == day && local.Hour >= settings.FromHour)
                .Select(c => (c.Id, Occasion: Greeting.For(day, Birthday.From(c.BirthMonth, c.BirthDay), settings.Switches)))
                .Where(c => c.Occasion is not null)
                .ToList();
            if (due.Count == 0) continue;
            greeted += await db.InOwnTransactionAsync(async t =>
            {
                var sent = 0;
                foreach (var (userId, occasion) in due)
                {
                    if (!await db.Locks.AddOnceAsync(new Greeting(userId, day, occasion!.Value, now), t)) continue;
                    db.Send(userId, NoticeOf(occasion.Value), link: null, now, email: false);
                    sent++;
                }
                return sent;
            }, ct);
        }
    }

    private static NotificationKind NoticeOf(GreetingOccasion occasion) => occasion switch
    {
        GreetingOccasion.Birthday => NotificationKind.BirthdayGreeting,
        GreetingOccasion.SpringFestival => NotificationKind.SpringFestivalGreeting,
        _ => NotificationKind.MidAutumnGreeting,
    };
}

/// <summary>What one pass did; <see cref="Ran"/> is false when another node's pass was running or nothing is switched on.</summary>
public sealed record GreetingPass(bool Ran, int Greeted);
