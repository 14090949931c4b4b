using CardMall.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The one way to take hold of a staff member's daily allowance (money paid out, keys replaced by hand): a
/// transaction-scoped advisory lock per person, so that two payouts or replacements by the same person —
/// on different tickets, in two browser tabs — are counted one after the other and cannot both fit in what is
/// left of the day. Taken after the ticket's lock and before the order's, as every remedy takes them.
/// </summary>
internal static class StaffAllowance
{
    /// <summary>
    /// The first key of the two-key advisory lock: the (int, int) key space never meets the single bigint keys
    /// that checkout and the background passes use.
    /// </summary>
    private const int LockSpace = 1418;

    public static async Task LockAllowanceAsync(this ICardMallDb db, Guid staffId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockSpace}, hashtext({staffId.ToString()}))", ct);
}
