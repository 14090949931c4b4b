using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CardMall.Infrastructure.CardKeys;

/// <summary>
/// Binary COPY into card_keys on the context's own connection, so the rows join the command's
/// transaction: an import is stored whole or not at all.
/// </summary>
internal sealed class CardKeyBulkWriter(CardMallDbContext db) : ICardKeyBulkWriter
{
    public async Task<int> MoveAsync(BatchKeyMove move, CancellationToken cancellationToken)
    {
        // Set-based CardKey.Freeze / Unfreeze: a freeze remembers the state it left, a release forgets it.
        // The key_counts triggers follow the UPDATE, so the stock counts stay exact.
        var from = move.From.ToString();
        var to = move.To.ToString();
        var frozenFrom = move.FrozenFrom?.ToString();
        var beforeFreeze = move.To == CardKeyState.Frozen ? from : null;
        var kind = move.Event.ToString();
        var reason = CardKeyEvent.Record(Guid.Empty, move.Event, move.At, move.Actor, move.Reason).Detail;
        return await db.Database.ExecuteSqlAsync($"""
            WITH moved AS (
                UPDATE card_keys SET state = {to}, state_before_freeze = {beforeFreeze}
                WHERE batch_id = {move.BatchId} AND state = {from} AND ({frozenFrom}::text IS NULL OR state_before_freeze = {frozenFrom})
                RETURNING id)
            INSERT INTO card_key_events (card_key_id, kind, at, actor_user_id, detail)
            SELECT id, {kind}, {move.At}, {move.Actor}, {reason} FROM moved
            """, cancellationToken);
    }

    public async Task WriteAsync(IReadOnlyList<CardKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY card_keys (id, product_id, batch_id, code_hash, code_cipher, secret_cipher, key_version, state, expires_at, created_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var k in keys)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(k.Id, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(k.ProductId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(k.BatchId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(k.CodeHash, NpgsqlDbType.Bytea, cancellationToken);
            await importer.WriteAsync(k.CodeCipher, NpgsqlDbType.Bytea, cancellationToken);
            if (k.SecretCipher is null) await importer.WriteNullAsync(cancellationToken);
            else await importer.WriteAsync(k.SecretCipher, NpgsqlDbType.Bytea, cancellationToken);
            await importer.WriteAsync(k.KeyVersion, NpgsqlDbType.Integer, cancellationToken);
            await importer.WriteAsync(k.State.ToString(), NpgsqlDbType.Varchar, cancellationToken);
            if (k.ExpiresAt is { } e) await importer.WriteAsync(e, NpgsqlDbType.TimestampTz, cancellationToken);
            else await importer.WriteNullAsync(cancellationToken);
            await importer.WriteAsync(k.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }
}
