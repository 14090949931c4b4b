using System.Security.Cryptography;

namespace CardMall.Domain.Orders;

/// <summary>
/// Public numbers for orders and top-ups: a prefix, the UTC date and ten random digits. Random, so
/// one buyer's number says nothing about another's (guessing numbers reveals nothing).
/// </summary>
public static class OrderNumbers
{
    public static string NewOrderNo(DateTimeOffset now) => New("CM", now);

    public static string NewTopUpNo(DateTimeOffset now) => New("TU", now);

    public static string NewTicketNo(DateTimeOffset now) => New("TK", now);

    /// <summary>A refund through a payment gateway (its out_request_no), RF + date + digits.</summary>
    public static string NewRefundNo(DateTimeOffset now) => New("RF", now);

    /// <summary>A batch incident (批次事故), IN + date + digits.</summary>
    public static string NewIncidentNo(DateTimeOffset now) => New("IN", now);

    /// <summary>Whether a payment reference is an order's number (CM…) rather than a top-up's (TU…).</summary>
    public static bool IsOrderNo(string reference) => reference.StartsWith("CM", StringComparison.Ordinal);

    private static string New(string prefix, DateTimeOffset now) =>
        prefix + now.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
}
