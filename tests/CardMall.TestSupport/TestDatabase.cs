using CardMall.Infrastructure.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CardMall.TestSupport;

/// <summary>
/// A fresh database for one test class, cloned in a moment from a template that the migrations built
/// once (CREATE DATABASE … TEMPLATE …), so tests never see each other's data. The template's name
/// carries the migrations' checksums: change a migration and a new template is built.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const long TemplateLockId = 0x54706C4C6F636B; // "TplLock"
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    private TestDatabase(string name) => Name = name;

    public string Name { get; }
    public string ConnectionString => PostgresServer.ConnectionStringFor(Name);

    /// <summary>Plain SQL against this database.</summary>
    public ShopSql Sql => new(ConnectionString);

    /// <summary>A database cloned from the migrated template.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var template = await TemplateAsync();
        var name = "cm_test_" + Guid.NewGuid().ToString("N")[..16];
        await AdminExecAsync($"CREATE DATABASE {name} TEMPLATE {template}");
        return new TestDatabase(name);
    }

    /// <summary>A database with nothing in it: for tests of the migrations themselves.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync()
    {
        var name = "cm_test_" + Guid.NewGuid().ToString("N")[..16];
        await AdminExecAsync($"CREATE DATABASE {name}");
        return new TestDatabase(name);
    }

    /// <summary>A name no database has yet (the migrations create it).</summary>
    public static TestDatabase Unborn() => new("cm_test_" + Guid.NewGuid().ToString("N")[..16]);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminExecAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task<string> TemplateAsync()
    {
        if (_template is not null) return _template;
        await TemplateGate.WaitAsync();
        try
        {
            if (_template is not null) return _template;
            var hash = string.Concat(MigrationRunner.Embedded.Select(m => m.Checksum[..8]));
            var name = "cm_tpl_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(hash)))[..16];

            // Other test processes may build the same template at the same moment: one lock for all.
            await using var conn = new NpgsqlConnection(PostgresServer.AdminConnectionString);
            await conn.OpenAsync();
            await Exec(conn, $"SELECT pg_advisory_lock({TemplateLockId})");
            try
            {
                await using var check = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn);
                check.Parameters.AddWithValue(name);
                if (await check.ExecuteScalarAsync() is null)
                {
                    await Exec(conn, $"DROP DATABASE IF EXISTS {name}_wip WITH (FORCE)");
                    await Exec(conn, $"CREATE DATABASE {name}_wip");
                    var wip = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionStringFor(name + "_wip")) { Pooling = false };
                    await new MigrationRunner(NullLogger<MigrationRunner>.Instance).MigrateAsync(wip.ConnectionString);
                    // Renamed only once complete, so nobody clones a half-built template.
                    await Exec(conn, $"ALTER DATABASE {name}_wip RENAME TO {name}");
                }
            }
            finally
            {
                await Exec(conn, $"SELECT pg_advisory_unlock({TemplateLockId})");
            }
            _template = name;
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task AdminExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(PostgresServer.AdminConnectionString);
        await conn.OpenAsync();
        await Exec(conn, sql);
    }

    private static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
