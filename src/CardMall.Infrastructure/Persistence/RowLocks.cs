using System.Collections.Concurrent;
using System.Linq.Expressions;
using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Notifications;
using CardMall.Domain.Tickets;
using CardMall.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CardMall.Infrastructure.Persistence;

/// <summary>
/// PostgreSQL row and advisory locks, held until the transaction ends (ADR 0030). Row locks read the table
/// and column names from the EF model, so a use case names the entity and the column, never SQL. Per-person
/// locks use the (int, int) advisory key space, which never meets the single bigint keys that checkout and
/// the background passes use.
/// </summary>
internal sealed class RowLocks(CardMallDbContext db) : IRowLocks
{
    /// <summary>"SELECT * FROM table WHERE column = {0} FOR UPDATE [SKIP LOCKED]" per entity, column and kind, built once.</summary>
    private static readonly ConcurrentDictionary<(Type, string, bool), string> Statements = new();

    // One row ------------------------------------------------------------------------------------------

    public Task<T?> LockAsync<T>(Guid id, CancellationToken ct) where T : class =>
        LockWhereAsync<T>(PrimaryKey<T>(), id, skipLocked: false, ct);

    public Task<T?> TryLockAsync<T>(Guid id, CancellationToken ct) where T : class =>
        LockWhereAsync<T>(PrimaryKey<T>(), id, skipLocked: true, ct);

    public Task<T?> LockAsync<T, TValue>(Expression<Func<T, TValue>> column, TValue value, CancellationToken ct) where T : class
    {
        var member = column.Body is MemberExpression m ? m.Member
            : throw new ArgumentException("Name one mapped property, as in x => x.No.", nameof(column));
        var property = Entity<T>().FindProperty(member) ?? throw new ArgumentException($"{member.Name} is not mapped.", nameof(column));
        return LockWhereAsync<T>(property, value, skipLocked: false, ct);
    }

    public async Task<CardKey> CardKeyAsync(Guid cardKeyId, CancellationToken ct) =>
        await LockAsync<CardKey>(cardKeyId, ct) ?? throw new InvalidOperationException("The card key vanished inside its own transaction.");

    public async Task OrderItemsAsync(IReadOnlyCollection<Guid> orderItemIds, CancellationToken ct)
    {
        var ids = orderItemIds.Distinct().Order().ToArray();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM order_items WHERE id = ANY({ids}) ORDER BY id FOR UPDATE", ct);
    }

    private async Task<T?> LockWhereAsync<T>(IProperty property, object? value, bool skipLocked, CancellationToken ct) where T : class
    {
        var sql = Statements.GetOrAdd((typeof(T), property.Name, skipLocked), _ =>
        {
            var entity = Entity<T>();
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var sqlHelper = db.GetService<ISqlGenerationHelper>();
            return $"SELECT * FROM {sqlHelper.DelimitIdentifier(table.Name, table.Schema)} "
                + $"WHERE {sqlHelper.DelimitIdentifier(property.GetColumnName(table)!)} = {{0}} FOR UPDATE"
                + (skipLocked ? " SKIP LOCKED" : "");
        });
        var stored = property.GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(value) : value;
        return (await db.Set<T>().FromSqlRaw(sql, stored!).ToListAsync(ct)).FirstOrDefault();
    }

    private IProperty PrimaryKey<T>() =>
        Entity<T>().FindPrimaryKey()?.Properties is [var single] ? single
            : throw new InvalidOperationException($"{typeof(T).Name} has no single-column key to lock by.");

    private IEntityType Entity<T>() =>
        db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity of the model.");

    // Rows made on first use -------------------------------------------------------------------------------

    public async Task<Wallet> WalletOrNewAsync(Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO wallets (user_id, balance, updated_at) VALUES ({userId}, 0, {now}) ON CONFLICT (user_id) DO NOTHING", ct);
        return await LockAsync<Wallet>(userId, ct) ?? throw new InvalidOperationException("The wallet row vanished inside its own transaction.");
    }

    public async Task<AgentProfile> AgentProfileOrNewAsync(Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO agent_profiles (user_id, on_duty, skills, updated_at) VALUES ({userId}, false, ARRAY[]::text[], {now})
            ON CONFLICT (user_id) DO NOTHING
            """, ct);
        return await LockAsync<AgentProfile>(userId, ct) ?? throw new InvalidOperationException("The agent profile vanished inside its own transaction.");
    }

    public async Task<bool> AddOnceAsync<T>(T entity, CancellationToken ct) where T : class
    {
        var type = Entity<T>();
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        // Every mapped column the entity holds a value for; a key the database numbers (identity) is left to it.
        var columns = type.GetProperties()
            .Where(p => !p.IsShadowProperty())
            .Select(p => (Property: p, Value: p.GetGetter().GetClrValue(entity)))
            .Where(c => c.Property.ValueGenerated == ValueGenerated.Never || !Equals(c.Value, c.Property.ClrType.IsValueType ? Activator.CreateInstance(c.Property.ClrType) : null))
            .ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var statement = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} "
            + $"({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))}) "
            + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"{{{i}}}"))}) ON CONFLICT DO NOTHING";
        var values = columns.Select(c => c.Property.GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(c.Value) : c.Value).ToArray();
        return await db.Database.ExecuteSqlRawAsync(statement, values!, ct) == 1;
    }

    // Claims ---------------------------------------------------------------------------------------------------

    public Task<List<OutgoingEmail>> ClaimDueEmailsAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        db.OutgoingEmails.FromSql($"""
            SELECT * FROM outgoing_emails
            WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= {now}
            ORDER BY next_attempt_at
            LIMIT {limit}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);

    public Task<List<Ticket>> ClaimTicketsWithClockDueAsync(DateTimeOffset now, double warnAt, int limit, CancellationToken ct)
    {
        // The share of a target still ahead when the warning is due.
        var share = 1 - warnAt;
        return db.Tickets.FromSql($"""
            SELECT * FROM tickets
            WHERE status IN ('New', 'Open', 'WaitingOnSupplier') AND paused_since IS NULL
              AND ((first_responded_at IS NULL AND first_response_warned_at IS NULL
                    AND first_response_due_at - first_response_target_minutes * {share} * interval '1 minute' <= {now})
                OR (first_responded_at IS NULL AND first_response_breached_at IS NULL AND first_response_due_at < {now})
                OR (resolution_warned_at IS NULL
                    AND resolution_due_at - resolution_target_minutes * {share} * interval '1 minute' <= {now})
                OR (resolution_breached_at IS NULL AND resolution_due_at < {now}))
            ORDER BY created_at
            LIMIT {limit}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
    }

    public Task<List<Ticket>> ClaimResolvedTicketsAsync(DateTimeOffset resolvedBefore, int limit, CancellationToken ct) =>
        db.Tickets.FromSql($"""
            SELECT * FROM tickets
            WHERE status = 'Resolved' AND resolved_at <= {resolvedBefore}
            ORDER BY resolved_at
            LIMIT {limit}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);

    public Task<List<Ticket>> ClaimTicketsOwedCheckInAsync(DateTimeOffset resolvedBefore, int limit, CancellationToken ct) =>
        db.Tickets.FromSql($"""
            SELECT * FROM tickets t
            WHERE t.status = 'Resolved' AND t.check_in_sent_at IS NULL AND t.rated_at IS NULL AND t.resolved_at <= {resolvedBefore}
              AND NOT EXISTS (SELECT 1 FROM ticket_messages m
                              WHERE m.ticket_id = t.id AND m.author = 'Buyer' AND m.created_at > t.resolved_at)
            ORDER BY t.resolved_at
            LIMIT {limit}
            FOR UPDATE OF t SKIP LOCKED
            """).ToListAsync(ct);

    public Task<List<CardKey>> ClaimKeysSealedBeforeAsync(int currentVersion, int limit, CancellationToken ct) =>
        db.CardKeys.FromSql($"SELECT * FROM card_keys WHERE key_version < {currentVersion} ORDER BY id LIMIT {limit} FOR UPDATE SKIP LOCKED")
            .ToListAsync(ct);

    // Advisory locks ---------------------------------------------------------------------------------------

    public async Task PersonAsync(PersonLock space, Guid personId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(int)space}, hashtext({personId.ToString()}))", ct);

    public async Task TakeTurnsAsync(long key, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);

    public async Task TakeTurnsAsync(Guid subject, long seed, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({subject.ToString()}, {seed}))", ct);

    public async Task<bool> TryAloneAsync(long key, CancellationToken ct) =>
        (await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({key}) AS \"Value\"").ToListAsync(ct)).Single();

    public async Task<IAsyncDisposable?> TryAloneAcrossTransactionsAsync(long key, CancellationToken ct)
    {
        // The session lock lives on one connection, which therefore stays open until the handle is disposed.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var locked = (await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").ToListAsync(ct)).Single();
            if (locked) return new SessionLock(db, key);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
        await db.Database.CloseConnectionAsync();
        return null;
    }

    private sealed class SessionLock(CardMallDbContext db, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({key})", CancellationToken.None);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
