using Npgsql;

namespace CardMall.TestSupport;

/// <summary>
/// Plain SQL against a test's database, for checking what a user cannot see from the outside (rows, counts,
/// states) and for setting up what no use case does. Positional parameters: <c>$1</c>, <c>$2</c>, …
/// One kit for every test class (<see cref="TestDatabase.Sql"/>), instead of a private copy in each.
/// </summary>
public sealed class ShopSql(string connectionString)
{
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return conn;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var conn = await OpenAsync();
        return await conn.ScalarAsync<T>(sql, args);
    }

    public Task<long> CountAsync(string sql, params object[] args) => ScalarAsync<long>(sql, args);

    public async Task<int> ExecuteAsync(string sql, params object[] args)
    {
        await using var conn = await OpenAsync();
        return await conn.ExecuteAsync(sql, args);
    }

    public async Task<List<T>> RowsAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object[] args)
    {
        await using var conn = await OpenAsync();
        await using var cmd = ShopSqlConnection.Command(conn, sql, args);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    public Task<List<T>> ColumnAsync<T>(string sql, params object[] args) => RowsAsync(sql, r => r.GetFieldValue<T>(0), args);
}

/// <summary>The same statements on a connection a test holds open (several statements in one session or transaction).</summary>
public static class ShopSqlConnection
{
    public static async Task<T> ScalarAsync<T>(this NpgsqlConnection conn, string sql, params object[] args)
    {
        await using var cmd = Command(conn, sql, args);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task<int> ExecuteAsync(this NpgsqlConnection conn, string sql, params object[] args)
    {
        await using var cmd = Command(conn, sql, args);
        return await cmd.ExecuteNonQueryAsync();
    }

    internal static NpgsqlCommand Command(NpgsqlConnection conn, string sql, object[] args)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.AddWithValue(a);
        return cmd;
    }
}
