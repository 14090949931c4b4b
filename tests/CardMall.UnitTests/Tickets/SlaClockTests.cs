using CardMall.Domain.Tickets;

namespace CardMall.UnitTests.Tickets;

/// <summary>
/// The ticket's SLA clock and lifecycle as a buyer and an agent feel them: the promised times, the
/// clock that stops while we wait for the buyer, the 80 % warning, the breach, urging.
/// </summary>
public sealed class SlaClockTests
{
    private static readonly DateTimeOffset Filed = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Normal priority's default targets: 4 h to a first reply, 48 h to a resolution.</summary>
    private static Ticket NewTicket(int firstResponseMinutes = 240, int resolutionMinutes = 2880, TicketPriority priority = TicketPriority.Normal) =>
        new("T1", Guid.NewGuid(), Guid.NewGuid(), TicketCategory.KeyInvalid, priority, "The key is invalid", null, "web", false,
            new SlaTargets(firstResponseMinutes, resolutionMinutes), Filed);

    [Fact]
    public void A_new_ticket_is_due_by_its_targets_from_the_moment_it_is_filed()
    {
        var ticket = NewTicket();

        Assert.Equal(Filed.AddHours(4), ticket.FirstResponseDueAt);
        Assert.Equal(Filed.AddHours(48), ticket.ResolutionDueAt);
        Assert.Equal(TicketStatus.New, ticket.Status);
        Assert.False(ticket.IsPaused);
        Assert.Equal(0, ticket.PausedSeconds);
    }

    [Fact]
    public void Waiting_on_the_buyer_moves_both_open_due_times_by_exactly_the_paused_span()
    {
        var ticket = NewTicket();
        Assert.True(ticket.MoveTo(TicketStatus.Open, Filed.AddMinutes(10)));
        Assert.True(ticket.MoveTo(TicketStatus.WaitingOnBuyer, Filed.AddMinutes(30)));
        Assert.True(ticket.IsPaused);

        // The buyer answers two hours and 15 seconds later.
        var pause = TimeSpan.FromHours(2) + TimeSpan.FromSeconds(15);
        Assert.True(ticket.MoveTo(TicketStatus.Open, Filed.AddMinutes(30) + pause));

        Assert.False(ticket.IsPaused);
        Assert.Equal(Filed.AddHours(4) + pause, ticket.FirstResponseDueAt);
        Assert.Equal(Filed.AddHours(48) + pause, ticket.ResolutionDueAt);
        Assert.Equal((long)pause.TotalSeconds, ticket.PausedSeconds);

        // A second pause adds up.
        ticket.MoveTo(TicketStatus.WaitingOnBuyer, Filed.AddHours(3));
        ticket.MoveTo(TicketStatus.Open, Filed.AddHours(4));
        Assert.Equal((long)(pause + TimeSpan.FromHours(1)).TotalSeconds, ticket.PausedSeconds);
        Assert.Equal(Filed.AddHours(49) + pause, ticket.ResolutionDueAt);
    }

    [Fact]
    public void A_pause_leaves_a_first_response_already_given_alone()
    {
        var ticket = NewTicket();
        ticket.MoveTo(TicketStatus.Open, Filed.AddMinutes(5));
        ticket.RecordStaffReply(Filed.AddMinutes(20));
        ticket.MoveTo(TicketStatus.WaitingOnBuyer, Filed.AddMinutes(21));
        ticket.MoveTo(TicketStatus.Open, Filed.AddMinutes(21).AddHours(3));

        Assert.Equal(Filed.AddMinutes(20), ticket.FirstRespondedAt);
        Assert.Equal(Filed.AddHours(4), ticket.FirstResponseDueAt);
        Assert.Equal(Filed.AddHours(51), ticket.ResolutionDueAt);
    }

    [Fact]
    public void Waiting_on_the_supplier_keeps_the_clock_running()
    {
        var ticket = NewTicket();
        ticket.MoveTo(TicketStatus.WaitingOnSupplier, Filed.AddMinutes(10));
        ticket.MoveTo(TicketStatus.Open, Filed.AddHours(5));

        Assert.False(ticket.IsPaused);
        Assert.Equal(0, ticket.PausedSeconds);
        Assert.Equal(Filed.AddHours(48), ticket.ResolutionDueAt);
    }

    [Fact]
    public void Resolving_stops_the_clock_and_a_reopen_restarts_it_with_the_due_times_moved_out()
    {
        var ticket = NewTicket();
        ticket.MoveTo(TicketStatus.Open, Filed.AddMinutes(5));
        ticket.RecordStaffReply(Filed.AddMinutes(30));
        Assert.True(ticket.MoveTo(TicketStatus.Resolved, Filed.AddHours(2)));

        Assert.True(ticket.IsPaused);
        Assert.Equal(Filed.AddHours(2), ticket.ResolvedAt);
        Assert.False(ticket.IsActive);

        Assert.True(ticket.MoveTo(TicketStatus.Open, Filed.AddHours(26)));

        Assert.False(ticket.IsPaused);
        Assert.Null(ticket.ResolvedAt);
        Assert.Equal(1, ticket.ReopenCount);
        Assert.Equal(Filed.AddHours(48 + 24), ticket.ResolutionDueAt);
        Assert.Equal(24 * 3600, ticket.PausedSeconds);
    }

    [Fact]
    public void The_warning_falls_due_at_80_percent_of_each_target()
    {
        var ticket = NewTicket();

        // 80 % of 4 h is 3 h 12 min; 80 % of 48 h is 38 h 24 min (to the second: the share is a double).
        var second = TimeSpan.FromSeconds(1);
        Assert.False(ticket.FirstResponseWarningDue(Filed.AddMinutes(192) - second, 0.8));
        Assert.True(ticket.FirstResponseWarningDue(Filed.AddMinutes(192) + second, 0.8));
        Assert.False(ticket.ResolutionWarningDue(Filed.AddMinutes(38 * 60 + 24) - second, 0.8));
        Assert.True(ticket.ResolutionWarningDue(Filed.AddMinutes(38 * 60 + 24) + second, 0.8));

        ticket.MarkFirstResponseWarned(Filed.AddMinutes(192));
        Assert.False(ticket.FirstResponseWarningDue(Filed.AddMinutes(200), 0.8));
    }

    [Fact]
    public void A_breach_is_due_only_after_the_due_time_and_escalates_one_step_per_target()
    {
        var ticket = NewTicket();

        Assert.False(ticket.FirstResponseBreachDue(Filed.AddHours(4)));
        Assert.True(ticket.FirstResponseBreachDue(Filed.AddHours(4).AddSeconds(1)));

        ticket.MarkFirstResponseBreached(Filed.AddHours(4).AddSeconds(1));
        Assert.True(ticket.IsBreached);
        Assert.Equal(TicketPriority.High, ticket.Priority);
        Assert.False(ticket.FirstResponseBreachDue(Filed.AddHours(5)));
        // The promise shown to the buyer stays as it was.
        Assert.Equal(Filed.AddHours(48), ticket.ResolutionDueAt);

        ticket.MarkResolutionBreached(Filed.AddHours(49));
        Assert.Equal(TicketPriority.Urgent, ticket.Priority);
    }

    [Fact]
    public void A_first_reply_in_time_means_no_first_response_warning_or_breach()
    {
        var ticket = NewTicket();
        ticket.RecordStaffReply(Filed.AddMinutes(30));

        Assert.False(ticket.FirstResponseWarningDue(Filed.AddHours(10), 0.8));
        Assert.False(ticket.FirstResponseBreachDue(Filed.AddHours(10)));
        Assert.False(ticket.ResolutionBreachDue(Filed.AddHours(10)));
    }

    [Fact]
    public void Nothing_warns_or_breaches_while_the_clock_stands_still()
    {
        var waiting = NewTicket();
        waiting.MoveTo(TicketStatus.WaitingOnBuyer, Filed.AddMinutes(10));
        var resolved = NewTicket();
        resolved.MoveTo(TicketStatus.Resolved, Filed.AddMinutes(10));

        var muchLater = Filed.AddDays(10);
        foreach (var ticket in new[] { waiting, resolved })
        {
            Assert.False(ticket.FirstResponseWarningDue(muchLater, 0.8));
            Assert.False(ticket.ResolutionWarningDue(muchLater, 0.8));
            Assert.False(ticket.FirstResponseBreachDue(muchLater));
            Assert.False(ticket.ResolutionBreachDue(muchLater));
        }
    }

    [Fact]
    public void A_buyer_urges_at_most_once_an_hour_and_every_second_urge_raises_the_priority()
    {
        var ticket = NewTicket();
        var hour = TimeSpan.FromHours(1);

        var first = ticket.Urge(Filed.AddMinutes(10), hour);
        Assert.True(first.Accepted);
        Assert.False(first.PriorityRaised);
        Assert.Equal(TicketPriority.Normal, ticket.Priority);

        var tooSoon = ticket.Urge(Filed.AddMinutes(40), hour);
        Assert.False(tooSoon.Accepted);
        Assert.Equal(Filed.AddMinutes(70), tooSoon.NextAllowedAt);
        Assert.Equal(1, ticket.UrgeCount);

        var second = ticket.Urge(Filed.AddMinutes(70), hour);
        Assert.True(second.Accepted);
        Assert.True(second.PriorityRaised);
        Assert.Equal(TicketPriority.High, ticket.Priority);
        Assert.Equal(2, ticket.UrgeCount);
    }

    [Fact]
    public void Urging_an_urgent_ticket_is_counted_but_cannot_raise_it_further()
    {
        var ticket = NewTicket(priority: TicketPriority.Urgent);
        ticket.Urge(Filed, TimeSpan.FromHours(1));
        var second = ticket.Urge(Filed.AddHours(1), TimeSpan.FromHours(1));

        Assert.True(second.Accepted);
        Assert.False(second.PriorityRaised);
        Assert.Equal(TicketPriority.Urgent, ticket.Priority);
        Assert.Equal(2, ticket.UrgeCount);
    }

    public static TheoryData<TicketStatus, TicketStatus, bool> Moves()
    {
        var allowed = new HashSet<(TicketStatus, TicketStatus)>
        {
            (TicketStatus.New, TicketStatus.Open), (TicketStatus.New, TicketStatus.WaitingOnBuyer),
            (TicketStatus.New, TicketStatus.WaitingOnSupplier), (TicketStatus.New, TicketStatus.Resolved),
            (TicketStatus.Open, TicketStatus.WaitingOnBuyer), (TicketStatus.Open, TicketStatus.WaitingOnSupplier),
            (TicketStatus.Open, TicketStatus.Resolved),
            (TicketStatus.WaitingOnBuyer, TicketStatus.Open), (TicketStatus.WaitingOnBuyer, TicketStatus.WaitingOnSupplier),
            (TicketStatus.WaitingOnBuyer, TicketStatus.Resolved),
            (TicketStatus.WaitingOnSupplier, TicketStatus.Open), (TicketStatus.WaitingOnSupplier, TicketStatus.WaitingOnBuyer),
            (TicketStatus.WaitingOnSupplier, TicketStatus.Resolved),
            (TicketStatus.Resolved, TicketStatus.Closed), (TicketStatus.Resolved, TicketStatus.Open),
            (TicketStatus.Closed, TicketStatus.Open),
        };
        var data = new TheoryData<TicketStatus, TicketStatus, bool>();
        foreach (var from in Enum.GetValues<TicketStatus>())
            foreach (var to in Enum.GetValues<TicketStatus>())
                data.Add(from, to, allowed.Contains((from, to)));
        return data;
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void The_lifecycle_allows_exactly_the_documented_moves(TicketStatus from, TicketStatus to, bool allowed) =>
        Assert.Equal(allowed, TicketLifecycle.CanMove(from, to));

    [Fact]
    public void A_refused_move_changes_nothing()
    {
        var ticket = NewTicket();
        ticket.MoveTo(TicketStatus.Resolved, Filed.AddHours(1));
        ticket.MoveTo(TicketStatus.Closed, Filed.AddHours(2));

        Assert.False(ticket.MoveTo(TicketStatus.WaitingOnBuyer, Filed.AddHours(3)));
        Assert.False(ticket.MoveTo(TicketStatus.Closed, Filed.AddHours(3)));
        Assert.Equal(TicketStatus.Closed, ticket.Status);
        Assert.Equal(Filed.AddHours(2), ticket.ClosedAt);
    }
}
