using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CardMall.Infrastructure.Persistence;

/// <summary>
/// Applies the embedded SQL migrations in name order under a PostgreSQL advisory lock, so any number
/// of web nodes can start at once against an empty database and the schema is applied exactly once.
/// Each applied file is recorded with its SHA-256; if an applied file has since changed, start-up
/// stops rather than run against a schema nobody can reproduce (docs/decisions/0002).
/// </summary>
public sealed class MigrationRunner(ILogger<MigrationRunner> logger)
{
    // "CardMall" in ASCII: one lock id for every node of this application.
    private const long LockId = 0x436172644D616C6C;
    private const string ResourcePrefix = "CardMall.Infrastructure.Persistence.Migrations.";

    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    public async Task<int> MigrateAsync(string connectionString, CancellationToken ct = default)
    {
        await EnsureDatabaseExistsAsync(connectionString, ct);

        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await Exec(conn, $"SELECT pg_advisory_lock({LockId})", ct);
        try
        {
            await Exec(conn, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id text PRIMARY KEY,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);

            var applied = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var cmd = new NpgsqlCommand("SELECT id, checksum FROM schema_migrations", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    applied[reader.GetString(0)] = reader.GetString(1);
            }

            var unknown = applied.Keys.Except(Embedded.Select(m => m.Id)).ToList();
            if (unknown.Count > 0)
                throw new InvalidOperationException(
                    $"The database has migrations this build does not know ({string.Join(", ", unknown)}). Run a newer build.");

            var count = 0;
            foreach (var migration in Embedded)
            {
                if (applied.TryGetValue(migration.Id, out var checksum))
                {
                    if (checksum != migration.Checksum)
                        throw new InvalidOperationException(
                            $"Migration {migration.Id} was changed after it was applied (checksum {checksum} in the database, {migration.Checksum} now). " +
                            "Applied migrations are never edited: add a new migration instead.");
                    continue;
                }

                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var cmd = new NpgsqlCommand(migration.Sql, conn, tx))
                    await cmd.ExecuteNonQueryAsync(ct);
                await using (var cmd = new NpgsqlCommand("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", conn, tx))
                {
                    cmd.Parameters.AddWithValue(migration.Id);
                    cmd.Parameters.AddWithValue(migration.Checksum);
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Migration}", migration.Id);
                count++;
            }
            return count;
        }
        finally
        {
            await Exec(conn, $"SELECT pg_advisory_unlock({LockId})", CancellationToken.None);
        }
    }

    /// <summary>Ids of the migrations recorded in the database (for the readiness check).</summary>
    public static async Task<IReadOnlySet<string>> AppliedAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("SELECT id FROM schema_migrations", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>
    /// Creates the database named in the connection string when the server lacks it, so a fresh
    /// PostgreSQL is enough. Two starters racing here both succeed: one creates, the other sees 42P04.
    /// </summary>
    private static async Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken ct)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var database = csb.Database;
        if (string.IsNullOrEmpty(database) || database == "postgres") return;
        csb.Database = "postgres";
        csb.Pooling = false;
        await using var conn = new NpgsqlConnection(csb.ConnectionString);
        try
        {
            await conn.OpenAsync(ct);
        }
        catch (PostgresException)
        {
            return; // No rights on "postgres": the database must already exist, and opening it will tell.
        }
        await using (var check = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn))
        {
            check.Parameters.AddWithValue(database);
            if (await check.ExecuteScalarAsync(ct) is not null) return;
        }
        try
        {
            await Exec(conn, $"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another node created it first.
        }
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static List<Migration> LoadEmbedded()
    {
        var asm = typeof(MigrationRunner).Assembly;
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Read(asm, n))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static Migration Read(Assembly asm, string resource)
    {
        using var stream = asm.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Line endings are normalised so a checkout with CRLF does not look like an edited file.
        var sql = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        var id = resource[ResourcePrefix.Length..^".sql".Length];
        return new Migration(id, sql, checksum);
    }

    public sealed record Migration(string Id, string Sql, string Checksum);
}
