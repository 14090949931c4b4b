using System.Diagnostics;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CardMall.Infrastructure.Replica;

/// <summary>
/// Whether the streaming replica may serve lag-tolerant reads now: configured, answering, and behind the primary by at
/// most <see cref="ReplicaOptions.MaxLagSeconds"/>. One measurement is believed for <see cref="ReplicaOptions.CheckSeconds"/>;
/// a stale one is still answered while the next is taken in the background, so a slow or dead replica holds up at most
/// the first reader (connect timeout 2 s) and never every request. Measured on the monotonic clock, not the shop's
/// <see cref="TimeProvider"/>: this is about the machine, not business time.
/// </summary>
public sealed class ReplicaState
{
    // Lag is the age of the last replayed transaction only while the replica has WAL it has not replayed: a replica
    // that has replayed all it received is current however long ago the last write was. A server not in recovery
    // (a promoted replica, or the primary named as replica) has no lag. Unreplayed WAL and no replayed transaction yet:
    // unknown, taken as too far behind. Just after a long quiet spell the measure overstates (the last replayed write
    // is old) until the new WAL is replayed, a moment in which reads go to the primary: the safe side.
    private const string LagSql = """
        SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0
                    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                    ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END::float8
        """;

    private readonly string? _connectionString;
    private readonly IOptionsMonitor<ReplicaOptions> _options;
    private readonly ILogger<ReplicaState> _log;
    private readonly DbContextOptions<CardMallDbContext>? _contextOptions;
    private Measurement? _last;
    private int _measuring;

    public ReplicaState(IConfiguration configuration, IOptionsMonitor<ReplicaOptions> options, ILogger<ReplicaState> log)
    {
        _options = options;
        _log = log;
        if (configuration.GetConnectionString(ReplicaOptions.ConnectionStringName) is not { Length: > 0 } configured) return;
        // Read-only at the session too: a replica refuses writes anyway, and a primary named as replica must as well.
        _connectionString = new NpgsqlConnectionStringBuilder(configured)
        {
            Options = "-c default_transaction_read_only=on",
            Timeout = 2,
            CommandTimeout = 30,
        }.ConnectionString;
        _contextOptions = new DbContextOptionsBuilder<CardMallDbContext>()
            .UseNpgsql(_connectionString)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options;
    }

    public bool Configured => _connectionString is not null;

    /// <summary>Whether to read from the replica now.</summary>
    public async ValueTask<bool> UsableAsync(CancellationToken ct)
    {
        if (_connectionString is null) return false;
        var last = Volatile.Read(ref _last);
        if (last is null) return (await MeasureAsync(ct)).Usable;
        if (Stopwatch.GetElapsedTime(last.At).TotalSeconds >= _options.CurrentValue.CheckSeconds
            && Interlocked.CompareExchange(ref _measuring, 1, 0) == 0)
            _ = Task.Run(async () =>
            {
                try { await MeasureAsync(CancellationToken.None); }
                finally { Volatile.Write(ref _measuring, 0); }
            }, CancellationToken.None);
        return last.Usable;
    }

    /// <summary>A context on the replica, read-only and without tracking, for one scope.</summary>
    internal CardMallDbContext OpenContext() =>
        new(_contextOptions ?? throw new InvalidOperationException("No replica configured."));

    private async Task<Measurement> MeasureAsync(CancellationToken ct)
    {
        var max = _options.CurrentValue.MaxLagSeconds;
        Measurement now;
        try
        {
            await using var conn = new NpgsqlConnection(_connectionString);
            await conn.OpenAsync(ct);
            await using var command = new NpgsqlCommand(LagSql, conn) { CommandTimeout = 2 };
            var lag = await command.ExecuteScalarAsync(ct) is double measured ? measured : double.PositiveInfinity;
            now = new Measurement(Stopwatch.GetTimestamp(), lag <= max, lag <= max ? null : FormattableString.Invariant($"lag {lag:0.0} s is over {max:0.0} s"));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            now = new Measurement(Stopwatch.GetTimestamp(), false, "unreachable: " + e.GetType().Name);
        }
        var before = Interlocked.Exchange(ref _last, now);
        if (before is null || before.Usable != now.Usable)
        {
            if (now.Usable) _log.LogInformation("Replica: serving lag-tolerant reads");
            else _log.LogWarning("Replica: {Reason}; lag-tolerant reads go to the primary", now.Reason);
        }
        return now;
    }

    private sealed record Measurement(long At, bool Usable, string? Reason);
}
