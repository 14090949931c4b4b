using MailKit.Security;

namespace CardMall.Infrastructure.Mail;

/// <summary>
/// How e-mail leaves the shop (configuration section CardMall:Mail): an SMTP server, or — in development
/// and tests — a pickup directory where every e-mail is written as an .eml file a developer can open.
/// A relative <see cref="PickupDirectory"/> is under the data directory (CardMall:DataDirectory, else
/// .data beside the content root). With neither a host nor a directory no e-mail is sent: they wait in
/// the outbox until one is configured.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "CardMall:Mail";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>Require TLS on a port other than 465 (STARTTLS). Kept from the first settings; <see cref="Security"/> says more.</summary>
    public bool EnableSsl { get; set; }

    /// <summary>
    /// How the connection is secured (MailKit's names: None, SslOnConnect, StartTls, StartTlsWhenAvailable). Unset:
    /// implicit TLS on 465, STARTTLS required on 587 or with <see cref="EnableSsl"/>, and STARTTLS when the server
    /// offers it elsewhere (a local relay on 25).
    /// </summary>
    public SecureSocketOptions? Security { get; set; }

    public SecureSocketOptions EffectiveSecurity => Security ?? Port switch
    {
        465 => SecureSocketOptions.SslOnConnect,
        587 => SecureSocketOptions.StartTls,
        _ => EnableSsl ? SecureSocketOptions.StartTls : SecureSocketOptions.StartTlsWhenAvailable,
    };

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, "Name &lt;address&gt;" or a bare address.</summary>
    public string From { get; set; } = "CardMall <no-reply@cardmall.local>";

    public string? PickupDirectory { get; set; }

    /// <summary>Whether this node runs the outbox dispatcher (several nodes may; they share the work).</summary>
    public bool DispatchEnabled { get; set; } = true;

    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(PickupDirectory) || !string.IsNullOrWhiteSpace(Host);
}
