using CardMall.Application.Accounts;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// Plays the demo's stories through the shop's own use cases: every step is a command sent through the mediator,
/// as the person who took it (<see cref="DemoActor"/>) and at the moment it happened (<see cref="DemoClock"/>), in a
/// container of the app's own registrations (<see cref="DemoScope"/>), so validation, the transaction, domain events
/// and their notifications all run as they do for a real request. Steps are collected first and played in time
/// order — several stories interleave, the clock only moves forward, and each wallet's statement reads in order.
/// Before each step the SLA watcher is run at every moment it would have found something due on the stories'
/// tickets, so its warnings, breaches, check-ins and auto-closes land when they would have happened.
/// </summary>
internal sealed class DemoReplay : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly DemoClock _clock;
    private readonly DemoActor _actor = new();
    private readonly AfterSalesOptions _rules;
    private readonly List<(DateTimeOffset At, int Order, Func<Task> Run)> _steps = [];
    private readonly HashSet<Guid> _buyers = [];
    private DateTimeOffset _watched;

    public DemoReplay(DemoScope scope, AfterSalesOptions rules, DateTimeOffset from, CancellationToken ct)
    {
        _clock = new DemoClock(from);
        _watched = from;
        _rules = rules;
        Ct = ct;
        _services = scope.Build(_clock, _actor);
    }

    public CancellationToken Ct { get; }

    public DateTimeOffset Now => _clock.Now;

    /// <summary>Something that happens at <paramref name="at"/>; steps at the same moment keep the order they were told in.</summary>
    public void At(DateTimeOffset at, Func<Task> step) => _steps.Add((at, _steps.Count, step));

    /// <summary>Whose tickets the watcher is replayed for.</summary>
    public void Watch(Guid buyerId) => _buyers.Add(buyerId);

    public async Task PlayAsync(DateTimeOffset until)
    {
        foreach (var (at, _, run) in _steps.OrderBy(s => s.At).ThenBy(s => s.Order))
        {
            if (at > until) throw new InvalidOperationException($"A demo step at {at:O} lies after the seeding moment.");
            await WatchUntilAsync(at);
            _clock.MoveTo(at);
            await run();
        }
        await WatchUntilAsync(until);
        _clock.MoveTo(until);
        await SeenAtTheTimeAsync();
    }

    /// <summary>
    /// The stories' notices belong to their past: the e-mails count as sent and the in-app notices as read when
    /// they came. A shop started with real SMTP and the demo switched on never mails the demo's made-up addresses,
    /// and a demo account opens the shop with the badge a person who kept up would have (nothing unread).
    /// </summary>
    private async Task SeenAtTheTimeAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        await db.OutgoingEmails.Where(e => e.SentAt == null && e.GaveUpAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.SentAt, e => e.CreatedAt), Ct);
        await db.Notifications.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, n => n.CreatedAt), Ct);
    }

    /// <summary>Sends a command as <paramref name="actor"/> (null: the shop itself) at the clock's moment.</summary>
    public async Task<T> SendAsync<T>(ShopUser? actor, IRequest<T> request)
    {
        _actor.ActAs(actor?.Id, actor is null ? null : DemoData.Accounts.First(a => a.Email == actor.Email).Role);
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, Ct);
    }

    /// <summary>Reads what a step needs to name (a supplier case, a follow-up task) as the pages would show it.</summary>
    public async Task<T> ReadAsync<T>(Func<CardMallDbContext, Task<T>> read)
    {
        await using var scope = _services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CardMallDbContext>());
    }

    /// <summary>
    /// A step no command takes (each caller says why), written in a transaction of its own at the clock's moment.
    /// </summary>
    public async Task WriteAsync(Func<CardMallDbContext, Task> write)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            await write(db);
            await db.SaveChangesAsync(Ct);
            await tx.CommitAsync(Ct);
        });
    }

    /// <summary>
    /// Runs the real watcher (<see cref="WatchSlas"/>) at each moment up to <paramref name="until"/> when it would
    /// have found a warning, a breach, a check-in or an auto-close due on the stories' tickets. The times are those
    /// of the watcher's own query; what happens then is the watcher's business.
    /// </summary>
    private async Task WatchUntilAsync(DateTimeOffset until)
    {
        while (await NextWatchAsync(until) is { } due)
        {
            // A mark that fell due during a step (a paused clock running again) is made at once.
            var next = due > _clock.Now ? due : _clock.Now;
            _clock.MoveTo(next);
            SlaWatchPass pass;
            // Another node's watcher may hold its lock for a moment.
            while (!(pass = await SendAsync<SlaWatchPass>(null, new WatchSlas())).Ran) await Task.Delay(100, Ct);
            _watched = next;
        }
    }

    private async Task<DateTimeOffset?> NextWatchAsync(DateTimeOffset until)
    {
        var buyers = _buyers.ToList();
        var tickets = await ReadAsync(db => db.Tickets.AsNoTracking().Where(t => buyers.Contains(t.BuyerId)).ToListAsync(Ct));
        var share = 1 - _rules.WarnAt;
        var due = new List<DateTimeOffset>();
        foreach (var t in tickets)
        {
            if (t.Status is TicketStatus.New or TicketStatus.Open or TicketStatus.WaitingOnSupplier && !t.IsPaused)
            {
                if (t.FirstRespondedAt is null && t.FirstResponseWarnedAt is null)
                    due.Add(t.FirstResponseDueAt.AddMinutes(-t.FirstResponseTargetMinutes * share));
                if (t.FirstRespondedAt is null && t.FirstResponseBreachedAt is null) due.Add(t.FirstResponseDueAt);
                if (t.ResolutionWarnedAt is null) due.Add(t.ResolutionDueAt.AddMinutes(-t.ResolutionTargetMinutes * share));
                if (t.ResolutionBreachedAt is null) due.Add(t.ResolutionDueAt);
            }
            if (t.Status == TicketStatus.Resolved && t.ResolvedAt is { } resolved)
            {
                if (t.CheckInSentAt is null && t.RatedAt is null) due.Add(resolved + _rules.CheckInAfter);
                due.Add(resolved + _rules.AutoCloseAfter);
            }
        }
        // A second after the mark: the watcher's breach is strictly after the due time, and the database rounds
        // the warning's share of minutes to microseconds.
        var next = due.Select(d => d.AddSeconds(1)).Where(d => d > _watched && d <= until).DefaultIfEmpty().Min();
        return next == default ? null : next;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
