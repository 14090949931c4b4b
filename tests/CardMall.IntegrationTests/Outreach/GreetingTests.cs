using CardMall.Application.Abstractions;
using CardMall.Application.Behaviors;
using CardMall.Application.Features.Accounts;
using CardMall.Application.Features.Outreach;
using CardMall.Domain.Accounts;
using CardMall.Domain.Outreach;
using CardMall.IntegrationTests.Tickets;
using CardMall.Web.Outreach;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CardMall.IntegrationTests.Outreach;

/// <summary>
/// Birthday and holiday greetings on the shop's hand-moved clock, the greeter's timer off: each test sets the day
/// and runs passes itself. What a buyer notices: one greeting on the day — their day, in their time zone, from
/// the morning on — and never two on one day, however many passes or nodes run.
/// </summary>
public sealed class GreetingTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    private Greeter Greeter => shop.Factory.Services.GetServices<IHostedService>().OfType<Greeter>().Single();

    [Fact]
    public async Task A_birthday_is_greeted_once_on_the_day_in_the_buyers_own_time_zone()
    {
        var beijing = await BuyerWithBirthdayAsync(3, 8);
        var losAngeles = await BuyerWithBirthdayAsync(3, 8);
        await shop.Database.Sql.ExecuteAsync("UPDATE users SET time_zone_id = 'America/Los_Angeles' WHERE id = $1", losAngeles.UserId);

        await PassAtAsync("2027-03-07T12:00:00Z");          // Beijing 20:00 on the 7th
        await PassAtAsync("2027-03-07T23:00:00Z");          // Beijing 07:00 on the 8th: too early to greet
        Assert.Equal(0, await NoticesAsync(beijing, "BirthdayGreeting"));

        await PassAtAsync("2027-03-08T00:30:00Z");          // Beijing 08:30 on the 8th; Los Angeles still the 7th
        await PassAtAsync("2027-03-08T06:00:00Z");
        Assert.Equal(1, await NoticesAsync(beijing, "BirthdayGreeting"));
        Assert.Equal(0, await NoticesAsync(losAngeles, "BirthdayGreeting"));

        await PassAtAsync("2027-03-08T17:00:00Z");          // Los Angeles 09:00 on the 8th
        await PassAtAsync("2027-03-09T03:00:00Z");          // the day after in Beijing
        Assert.Equal(1, await NoticesAsync(beijing, "BirthdayGreeting"));
        Assert.Equal(1, await NoticesAsync(losAngeles, "BirthdayGreeting"));
        // In-app only: a greeting is not e-mailed.
        Assert.Equal(0, await _kit.CountAsync("SELECT count(*) FROM outgoing_emails WHERE user_id = $1", beijing.UserId));
    }

    [Fact]
    public async Task Spring_Festival_and_Mid_Autumn_greet_every_buyer_and_no_staff()
    {
        var buyer = await _kit.BuyerAsync(0m);
        var reseller = await _kit.PersonAsync(ShopRoles.Reseller);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        await PassAtAsync("2027-02-06T01:00:00Z");          // 正月初一, Beijing 09:00
        await PassAtAsync("2027-09-15T01:00:00Z");          // 八月十五
        await PassAtAsync("2027-09-16T01:00:00Z");

        Assert.Equal(1, await NoticesAsync(buyer, "SpringFestivalGreeting"));
        Assert.Equal(1, await NoticesAsync(buyer, "MidAutumnGreeting"));
        Assert.Equal(1, await NoticesAsync(reseller, "MidAutumnGreeting"));
        Assert.Equal(0, await _kit.CountAsync("SELECT count(*) FROM greetings WHERE user_id = $1", agent.UserId));
    }

    [Fact]
    public async Task A_birthday_on_a_holiday_is_one_greeting_that_day()
    {
        var buyer = await BuyerWithBirthdayAsync(9, 15);

        await PassAtAsync("2027-09-15T02:00:00Z");
        await PassAtAsync("2027-09-15T10:00:00Z");

        Assert.Equal(1, await NoticesAsync(buyer, "BirthdayGreeting"));
        Assert.Equal(0, await NoticesAsync(buyer, "MidAutumnGreeting"));
        Assert.Equal(1, await _kit.CountAsync("SELECT count(*) FROM greetings WHERE user_id = $1 AND day = '2027-09-15'", buyer.UserId));
    }

    [Fact]
    public async Task Passes_running_at_once_greet_once_and_the_database_keeps_one_greeting_a_day_without_the_pass_lock()
    {
        var buyers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _kit.BuyerAsync(0m)));
        shop.Clock.Set(DateTimeOffset.Parse("2028-01-26T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture));   // Spring Festival 2028

        var passes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Greeter.RunOnceAsync(CancellationToken.None))));
        Assert.All(passes, p => Assert.NotNull(p));
        await Greeter.RunOnceAsync(CancellationToken.None);
        foreach (var buyer in buyers) Assert.Equal(1, await NoticesAsync(buyer, "SpringFestivalGreeting"));

        // Two nodes that both got past their locks: the (buyer, day) key lets one greeting in.
        var other = await _kit.BuyerAsync(0m);
        var day = new DateOnly(2028, 3, 1);
        var written = await Task.WhenAll(
            Task.Run(() => AddGreetingAsync(other.UserId, day, GreetingOccasion.Birthday)),
            Task.Run(() => AddGreetingAsync(other.UserId, day, GreetingOccasion.MidAutumn)));
        Assert.Single(written, w => w);
    }

    [Fact]
    public async Task The_pass_walks_all_buyers_in_pages()
    {
        var buyers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _kit.BuyerAsync(0m)));
        shop.Clock.Set(DateTimeOffset.Parse("2028-10-03T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));   // Mid-Autumn 2028

        var pass = await _kit.SendAsync(buyers[0], new SendGreetings(PageSize: 2));

        Assert.True(pass.Ran);
        foreach (var buyer in buyers) Assert.Equal(1, await NoticesAsync(buyer, "MidAutumnGreeting"));
    }

    private async Task<Actor> BuyerWithBirthdayAsync(int month, int day)
    {
        var buyer = await _kit.BuyerAsync(0m);
        await _kit.SendAsync(buyer, new SetBirthday(month, day));
        return buyer;
    }

    private async Task PassAtAsync(string utc)
    {
        shop.Clock.Set(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(await Greeter.RunOnceAsync(CancellationToken.None));
    }

    private async Task<bool> AddGreetingAsync(Guid userId, DateOnly day, GreetingOccasion occasion)
    {
        using var scope = _kit.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ICardMallDb>();
        return await db.InOwnTransactionAsync(ct => db.Locks.AddOnceAsync(new Greeting(userId, day, occasion, shop.Clock.GetUtcNow()), ct), CancellationToken.None);
    }

    private Task<long> NoticesAsync(Actor person, string kind) =>
        _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = $2", person.UserId, kind);
}

/// <summary>The shop with birthday and Spring Festival greetings switched off in the settings.</summary>
public sealed class QuietGreetingShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings[GreetingOptions.Section + ":Birthday"] = "false";
        settings[GreetingOptions.Section + ":SpringFestival"] = "false";
    }
}

public sealed class GreetingSettingsTests(QuietGreetingShop shop) : IClassFixture<QuietGreetingShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task Occasions_switched_off_send_nothing_and_the_others_still_greet()
    {
        var buyer = await _kit.BuyerAsync(0m);
        await _kit.SendAsync(buyer, new SetBirthday(2, 6));
        var greeter = shop.Factory.Services.GetServices<IHostedService>().OfType<Greeter>().Single();

        shop.Clock.Set(DateTimeOffset.Parse("2027-02-06T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture));   // birthday and Spring Festival
        await greeter.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, await _kit.CountAsync("SELECT count(*) FROM greetings WHERE user_id = $1", buyer.UserId));

        shop.Clock.Set(DateTimeOffset.Parse("2027-09-15T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await greeter.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'MidAutumnGreeting'", buyer.UserId));
    }
}
