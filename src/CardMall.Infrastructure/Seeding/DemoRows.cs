using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// The demo seed's bulk writer: new rows of any mapped entity written with COPY, column by column as the EF
/// model maps it (its converters applied, identity columns left to the database, which numbers them in the
/// order given), on the seed's connection and in its transaction. Hundreds of orders, keys and ledger lines
/// go in at once instead of a statement each, and in a known order: SaveChanges does not promise to insert
/// rows in the order they were added, and a wallet's statement is read in id order. Only for the seed's plain
/// entities (no owned types, no row versions); the app's hot bulk path, card-key import, has its own typed
/// writer (CardKeyBulkWriter).
/// </summary>
internal static class DemoRows
{
    public static async Task CopyAsync<T>(CardMallDbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => p.GetValueGenerationStrategy(table) is not (NpgsqlValueGenerationStrategy.IdentityByDefaultColumn
                or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn or NpgsqlValueGenerationStrategy.SerialColumn))
            .Select(p => (
                Name: p.GetColumnName(table)!,
                Read: p.PropertyInfo ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no property to copy from."),
                Converter: p.GetTypeMapping().Converter))
            .ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var copy = $"COPY \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var (_, read, converter) in columns)
            {
                var value = read.GetValue(row);
                if (converter is not null) value = converter.ConvertToProvider(value);
                if (value is null) await importer.WriteNullAsync(ct);
                else await importer.WriteAsync(value, ct);
            }
        }
        await importer.CompleteAsync(ct);
    }
}
