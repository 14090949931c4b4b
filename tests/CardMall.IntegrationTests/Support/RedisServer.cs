using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CardMall.IntegrationTests.Support;

/// <summary>
/// The Redis the backplane tests use: CARDMALL_TEST_REDIS when set (./scripts/test.sh starts one), else a
/// throwaway <c>redis-server</c> started here on a free port, without persistence, stopped when the process exits.
/// A missing server is a failure with a clear message, never a skipped test.
/// </summary>
public static class RedisServer
{
    private static readonly Lazy<string> Address = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>host:port of a Redis server for this test run.</summary>
    public static string Configuration => Address.Value;

    private static string Start()
    {
        var configured = Environment.GetEnvironmentVariable("CARDMALL_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var port = FreePort();
        var psi = new ProcessStartInfo("redis-server", ["--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process server;
        try
        {
            server = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "redis-server was not found. Install Debian's 'redis-server' package (./scripts/test.sh does as root) or set CARDMALL_TEST_REDIS.", e);
        }
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { server.Kill(); } catch (InvalidOperationException) { } // already gone
        };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return $"127.0.0.1:{port}";
            }
            catch (SocketException)
            {
                if (server.HasExited) break;
                Thread.Sleep(100);
            }
        }
        throw new InvalidOperationException($"redis-server did not answer on port {port}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
