using System.Net;
using System.Net.Sockets;
using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Infrastructure.Mail;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace CardMall.UnitTests.Mail;

/// <summary>The mail sender over SMTP (to a small fake server on loopback) and the port rules for TLS.</summary>
public sealed class SmtpMailSenderTests
{
    [Theory]
    [InlineData(465, false, SecureSocketOptions.SslOnConnect)]
    [InlineData(587, false, SecureSocketOptions.StartTls)]
    [InlineData(25, true, SecureSocketOptions.StartTls)]
    [InlineData(25, false, SecureSocketOptions.StartTlsWhenAvailable)]
    public void Tls_follows_the_port_unless_the_setting_says_otherwise(int port, bool enableSsl, SecureSocketOptions expected)
    {
        Assert.Equal(expected, new MailOptions { Port = port, EnableSsl = enableSsl }.EffectiveSecurity);
        Assert.Equal(SecureSocketOptions.None, new MailOptions { Port = port, EnableSsl = enableSsl, Security = SecureSocketOptions.None }.EffectiveSecurity);
    }

    [Fact]
    public async Task An_email_reaches_the_smtp_server_with_its_recipient_subject_and_both_bodies()
    {
        using var server = new FakeSmtpServer();
        var options = Options.Create(new MailOptions
        {
            Host = "127.0.0.1", Port = server.Port, Security = SecureSocketOptions.None, From = "CardMall <no-reply@cardmall.test>",
        });

        await new SmtpMailSender(options).SendAsync(
            new EmailMessage("buyer@example.test", "买家", "我们已收到你的工单 T-1", "正文 T-1", "<p>正文 T-1</p>"), CancellationToken.None);

        var received = await server.Received;
        Assert.Contains("MAIL FROM:<no-reply@cardmall.test>", received.Commands);
        Assert.Contains("RCPT TO:<buyer@example.test>", received.Commands);
        Assert.Contains("multipart/alternative", received.Data, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("text/html", received.Data, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Subject:", received.Data, StringComparison.Ordinal);
    }

    private sealed record Transcript(IReadOnlyList<string> Commands, string Data);

    /// <summary>Just enough of SMTP (RFC 5321) for one e-mail without TLS or authentication.</summary>
    private sealed class FakeSmtpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public FakeSmtpServer()
        {
            _listener.Start();
            Received = ServeOneAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Task<Transcript> Received { get; }

        private async Task<Transcript> ServeOneAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            var commands = new List<string>();
            var data = new StringBuilder();
            await writer.WriteLineAsync("220 fake ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                commands.Add(line);
                var verb = line.Split(' ', ':')[0].ToUpperInvariant();
                if (verb == "DATA")
                {
                    await writer.WriteLineAsync("354 go ahead");
                    while (await reader.ReadLineAsync() is { } body && body != ".") data.AppendLine(body);
                    await writer.WriteLineAsync("250 queued");
                }
                else if (verb == "QUIT")
                {
                    await writer.WriteLineAsync("221 bye");
                    break;
                }
                else
                {
                    await writer.WriteLineAsync(verb == "EHLO" ? "250 fake" : "250 ok");
                }
            }
            return new Transcript(commands, data.ToString());
        }

        public void Dispose() => _listener.Stop();
    }
}
