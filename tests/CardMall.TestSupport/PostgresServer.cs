using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CardMall.TestSupport;

/// <summary>
/// The PostgreSQL server the tests use: CARDMALL_TEST_DB when set (./scripts/test.sh sets it), else a
/// throwaway cluster started here from the machine's PostgreSQL binaries on a free port — as the
/// postgres user when running as root, since initdb refuses root. Stopped when the process exits.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> Admin = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A connection string to the server's maintenance database ("postgres").</summary>
    public static string AdminConnectionString => Admin.Value;

    public static string ConnectionStringFor(string database)
    {
        var csb = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database };
        return csb.ConnectionString;
    }

    private static string Start()
    {
        var configured = Environment.GetEnvironmentVariable("CARDMALL_TEST_DB");
        if (!string.IsNullOrWhiteSpace(configured))
            return new NpgsqlConnectionStringBuilder(configured) { Database = "postgres" }.ConnectionString;

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install the 'postgresql' package or set CARDMALL_TEST_DB.");
        var isRoot = Environment.UserName == "root";
        SweepStaleClusters();
        var dir = Path.Combine(Path.GetTempPath(), $"cardmall-test-pg-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        if (isRoot) Run("chown", ["postgres:postgres", dir], asPostgres: false);

        Run(Path.Combine(bin, "initdb"), ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], isRoot);
        var port = FreePort();
        Run(Path.Combine(bin, "pg_ctl"), ["-D", dir, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start"], isRoot);

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run(Path.Combine(bin, "pg_ctl"), ["-D", dir, "-m", "immediate", "-w", "stop"], isRoot);
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Leaving a temp folder behind is better than failing the test run at exit.
            }
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    /// <summary>
    /// A test process may exit before its cluster folder is deleted; folders whose server is no
    /// longer running (no postmaster.pid) are removed by the next run.
    /// </summary>
    private static void SweepStaleClusters()
    {
        foreach (var stale in Directory.GetDirectories(Path.GetTempPath(), "cardmall-test-pg-*"))
        {
            if (File.Exists(Path.Combine(stale, "postmaster.pid"))) continue;
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's folder, or in use: leave it.
            }
        }
    }

    /// <summary>The folder of the machine's PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup), if any.</summary>
    public static string? FindBinaries()
    {
        foreach (var p in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(p, "initdb")) && File.Exists(Path.Combine(p, "pg_ctl"))) return p;
        if (!Directory.Exists("/usr/lib/postgresql")) return null;
        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL tool, as the postgres user when <paramref name="asPostgres"/>; fails with its output.</summary>
    public static void Run(string file, string[] args, bool asPostgres)
    {
        var psi = asPostgres ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args]) : new ProcessStartInfo(file, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
            throw new InvalidOperationException($"{file} did not finish in two minutes");
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
    }
}
