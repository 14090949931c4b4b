namespace CardMall.Web.Payments;

/// <summary>
/// The built-in sandbox payment gateway (configuration section CardMall:Sandbox):
///   Enabled         the pay page and the notification sender; default on in Development and Testing only
///   PaymentSecret   the HMAC key of its notifications (see <see cref="SandboxSecret"/>)
///   NotifyUrl       where it posts notifications; default: this app's own address + /payments/sandbox/notify
/// </summary>
public sealed class SandboxOptions
{
    public const string Section = "CardMall:Sandbox";

    public bool? Enabled { get; set; }

    public string? PaymentSecret { get; set; }

    public string? NotifyUrl { get; set; }

    public bool IsEnabled => Enabled == true;
}
