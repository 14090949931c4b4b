using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CardMall.IntegrationTests.Support;

/// <summary>
/// A <c>redis-server</c> of this process on a loopback port, without persistence: started, stopped (as an outage) and
/// started again on the same port, and killed when the process exits. A missing server is a failure with a clear message.
/// </summary>
public sealed class ThrowawayRedis : IDisposable
{
    private Process? _server;

    public ThrowawayRedis() => Port = FreePort();

    public int Port { get; }

    /// <summary>host:port, the StackExchange.Redis configuration string.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public ThrowawayRedis Start()
    {
        var psi = new ProcessStartInfo("redis-server", ["--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _server = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "redis-server was not found. Install Debian's 'redis-server' package (./scripts/test.sh does as root) or set CARDMALL_TEST_REDIS.", e);
        }
        var server = _server;
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill(server);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return this;
            }
            catch (SocketException)
            {
                if (server.HasExited) break;
                Thread.Sleep(100);
            }
        }
        throw new InvalidOperationException($"redis-server did not answer on port {Port}");
    }

    /// <summary>Stops the server at once, as an outage would (its clients see the connection drop).</summary>
    public void Stop()
    {
        if (_server is null) return;
        Kill(_server);
        _server.WaitForExit();
        _server.Dispose();
        _server = null;
    }

    public void Dispose() => Stop();

    private static void Kill(Process server)
    {
        try { server.Kill(); } catch (InvalidOperationException) { } // already gone
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
