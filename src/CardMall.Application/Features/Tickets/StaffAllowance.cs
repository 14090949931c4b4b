using CardMall.Application.Abstractions;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The one way to take hold of a staff member's daily allowance (money paid out, keys replaced by hand): a
/// transaction-scoped advisory lock per person, so that two payouts or replacements by the same person —
/// on different tickets, in two browser tabs — are counted one after the other and cannot both fit in what is
/// left of the day. Taken after the ticket's lock and before the order's, as every remedy takes them.
/// </summary>
internal static class StaffAllowance
{
    public static Task StaffAllowanceAsync(this IRowLocks locks, Guid staffId, CancellationToken ct) =>
        locks.PersonAsync(PersonLock.StaffAllowance, staffId, ct);
}
