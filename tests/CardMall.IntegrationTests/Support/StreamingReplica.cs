using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Support;

/// <summary>
/// A small PostgreSQL primary of its own and a streaming replica of it (pg_basebackup -R), on free loopback ports, as
/// <c>scripts/cluster.sh</c> sets them up — for the replica's lag checks. Both stop (and their folder goes) on dispose.
/// </summary>
public sealed class StreamingReplica : IDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asPostgres = Environment.UserName == "root";

    private StreamingReplica()
    {
        var found = PostgresServer.FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) were not found. Install the 'postgresql' package.");
        // initdb may be a link on the PATH to the version's folder, which also holds pg_basebackup.
        var initdb = new FileInfo(Path.Combine(found, "initdb"));
        _bin = Path.GetDirectoryName(initdb.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb.FullName)!;
        _root = Path.Combine(Path.GetTempPath(), "cardmall-test-replica-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        if (_asPostgres) PostgresServer.Run("chown", ["postgres:postgres", _root], asPostgres: false);
    }

    public string Primary { get; private set; } = "";

    public string Replica { get; private set; } = "";

    public static StreamingReplica Start()
    {
        var pair = new StreamingReplica();
        try
        {
            var primaryPort = PostgresServer.FreePort();
            pair.Tool("initdb", "-D", pair.Dir("primary"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
            pair.StartServer("primary", primaryPort);
            pair.Tool("pg_basebackup", "-h", "127.0.0.1", "-p", $"{primaryPort}", "-U", "postgres", "-D", pair.Dir("replica"), "-R", "-X", "stream", "-c", "fast");
            var replicaPort = PostgresServer.FreePort();
            pair.StartServer("replica", replicaPort);
            pair.Primary = $"Host=127.0.0.1;Port={primaryPort};Username=postgres;Database=postgres;Pooling=false";
            pair.Replica = $"Host=127.0.0.1;Port={replicaPort};Username=postgres;Database=postgres;Pooling=false";
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var server in new[] { "replica", "primary" })
        {
            if (!File.Exists(Path.Combine(Dir(server), "postmaster.pid"))) continue;
            try { Tool("pg_ctl", "-D", Dir(server), "-m", "immediate", "-w", "stop"); }
            catch (InvalidOperationException) { } // already gone
        }
        try { Directory.Delete(_root, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a temp folder left behind
    }

    private string Dir(string server) => Path.Combine(_root, server);

    private void StartServer(string server, int port) =>
        Tool("pg_ctl", "-D", Dir(server), "-l", Path.Combine(_root, server + ".log"), "-w", "-t", "60",
            "-o", $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c fsync=off -c full_page_writes=off", "start");

    private void Tool(string tool, params string[] args) => PostgresServer.Run(Path.Combine(_bin, tool), args, _asPostgres);
}
