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
