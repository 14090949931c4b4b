using System.Net;
using CardMall.Infrastructure.Persistence;
using CardMall.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CardMall.IntegrationTests;

/// <summary>The schema comes from the SQL migrations, applied once, never edited, and equal to EF's model.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task Two_app_instances_starting_together_on_a_missing_database_both_come_up_with_the_schema_applied_once()
    {
        await using var db = TestDatabase.Unborn();
        await using var first = new ShopFactory(db.ConnectionString);
        await using var second = new ShopFactory(db.ConnectionString);

        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

        foreach (var app in new[] { first, second })
        {
            var ready = await app.CreateClient().GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        Assert.Equal(MigrationRunner.Embedded.Count, await ScalarAsync<long>(db.ConnectionString, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(6, await ScalarAsync<long>(db.ConnectionString, "SELECT count(*) FROM roles"));
        Assert.Equal(3, await ScalarAsync<long>(db.ConnectionString, "SELECT count(*) FROM categories"));
    }

    [Fact]
    public async Task Many_runners_at_once_apply_each_migration_exactly_once()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var runner = new MigrationRunner(NullLogger<MigrationRunner>.Instance);

        var applied = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => runner.MigrateAsync(db.ConnectionString))));

        Assert.Equal(MigrationRunner.Embedded.Count, applied.Sum());
        Assert.Equal(MigrationRunner.Embedded.Count, await ScalarAsync<long>(db.ConnectionString, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Start_up_refuses_to_run_when_an_applied_migration_file_has_changed()
    {
        await using var db = await TestDatabase.CreateAsync();
        await ExecAsync(db.ConnectionString, "UPDATE schema_migrations SET checksum = 'edited' WHERE id = '0001_initial'");
        var runner = new MigrationRunner(NullLogger<MigrationRunner>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.MigrateAsync(db.ConnectionString));

        Assert.Contains("0001_initial", error.Message, StringComparison.Ordinal);
        await using var app = new ShopFactory(db.ConnectionString);
        Assert.ThrowsAny<Exception>(() => app.Server);
    }

    [Fact]
    public async Task The_migrations_build_exactly_the_schema_of_the_EF_model()
    {
        await using var migrated = await TestDatabase.CreateAsync();
        await using var modelBuilt = await TestDatabase.CreateEmptyAsync();
        var options = new DbContextOptionsBuilder<CardMallDbContext>().UseNpgsql(modelBuilt.ConnectionString).Options;
        await using (var context = new CardMallDbContext(options))
            await context.Database.EnsureCreatedAsync();

        var fromMigrations = await DescribeSchemaAsync(migrated.ConnectionString);
        var fromModel = await DescribeSchemaAsync(modelBuilt.ConnectionString);

        var onlyInMigrations = fromMigrations.Except(fromModel).ToList();
        var onlyInModel = fromModel.Except(fromMigrations).ToList();
        Assert.True(onlyInMigrations.Count == 0 && onlyInModel.Count == 0,
            "Schema drift between the SQL migrations and the EF model.\nOnly in migrations:\n  " + string.Join("\n  ", onlyInMigrations) +
            "\nOnly in the model:\n  " + string.Join("\n  ", onlyInModel));
        Assert.Contains(fromModel, l => l.StartsWith("column users.tier ", StringComparison.Ordinal));
    }

    /// <summary>
    /// Tables, columns (type, length, precision, nullability, identity), indexes and constraints, as text lines.
    /// The dashboard rollups (dashboard_*, migration 0010) and the key counts (key_counts, migration 0014) are
    /// derived data written only by SQL, not part of the EF model, and are left out.
    /// </summary>
    private static async Task<HashSet<string>> DescribeSchemaAsync(string connectionString)
    {
        var lines = new HashSet<string>(StringComparer.Ordinal);
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await ReadAsync(conn, """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || udt_name || ' len=' || coalesce(character_maximum_length::text, '-') ||
                   ' prec=' || coalesce(numeric_precision::text, '-') || ',' || coalesce(numeric_scale::text, '-') ||
                   ' null=' || is_nullable || ' identity=' || is_identity || ' default=' || coalesce(column_default, '-')
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations' AND table_name NOT LIKE 'dashboard\_%' AND table_name <> 'key_counts'
            """, lines);
        await ReadAsync(conn, """
            SELECT 'index ' || tablename || ' ' || indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> 'schema_migrations' AND tablename NOT LIKE 'dashboard\_%' AND tablename <> 'key_counts'
            """, lines);
        await ReadAsync(conn, """
            SELECT 'constraint ' || rel.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
            WHERE ns.nspname = 'public' AND rel.relname <> 'schema_migrations' AND rel.relname NOT LIKE 'dashboard\_%' AND rel.relname <> 'key_counts'
            """, lines);
        return lines;
    }

    private static async Task ReadAsync(NpgsqlConnection conn, string sql, HashSet<string> into)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) into.Add(reader.GetString(0));
    }

    private static Task<T> ScalarAsync<T>(string cs, string sql) => new ShopSql(cs).ScalarAsync<T>(sql);

    private static Task<int> ExecAsync(string cs, string sql) => new ShopSql(cs).ExecuteAsync(sql);
}
