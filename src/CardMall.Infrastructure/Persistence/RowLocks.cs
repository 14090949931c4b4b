using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Verification;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Persistence;

/// <summary>
/// PostgreSQL row and advisory locks, held until the transaction ends. Per-person locks use the (int, int)
/// advisory key space, which never meets the single bigint keys that checkout and the background passes use.
/// </summary>
internal sealed class RowLocks(CardMallDbContext db) : IRowLocks
{
    public async Task PersonAsync(PersonLock space, Guid personId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(int)space}, hashtext({personId.ToString()}))", ct);

    public async Task OrderItemsAsync(IReadOnlyCollection<Guid> orderItemIds, CancellationToken ct)
    {
        var ids = orderItemIds.Distinct().Order().ToArray();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM order_items WHERE id = ANY({ids}) ORDER BY id FOR UPDATE", ct);
    }

    public async Task<CardKey> CardKeyAsync(Guid cardKeyId, CancellationToken ct) =>
        (await db.CardKeys.FromSql($"SELECT * FROM card_keys WHERE id = {cardKeyId} FOR UPDATE").ToListAsync(ct)).Single();

    public async Task<KeyVerification?> KeyVerificationAsync(Guid verificationId, bool skipLocked, CancellationToken ct) =>
        (await (skipLocked
            ? db.KeyVerifications.FromSql($"SELECT * FROM key_verifications WHERE id = {verificationId} FOR UPDATE SKIP LOCKED")
            : db.KeyVerifications.FromSql($"SELECT * FROM key_verifications WHERE id = {verificationId} FOR UPDATE")).ToListAsync(ct)).FirstOrDefault();
}
