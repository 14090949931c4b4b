using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace CardMall.Infrastructure.Payments;

/// <summary>
/// The string Alipay and epay sign: every parameter with a non-empty value, except the signature fields, sorted by
/// name in ASCII order, joined as <c>name=value&amp;…</c> with the values as they are (decoded, not URL-escaped).
/// Both providers document exactly this rule; only the excluded fields and the signing algorithm differ.
/// </summary>
public static class SignedParameters
{
    public static string Text(IEnumerable<KeyValuePair<string, string>> parameters, params string[] excluded)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in parameters
                     .Where(p => !string.IsNullOrEmpty(p.Value) && !excluded.Contains(p.Key, StringComparer.Ordinal))
                     .OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (text.Length > 0) text.Append('&');
            text.Append(name).Append('=').Append(value);
        }
        return text.ToString();
    }

    /// <summary>The URL query or form body for the parameters, each name and value escaped as UTF-8.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    /// <summary>A form body (application/x-www-form-urlencoded, UTF-8) read into its parameters; the last of a repeated name wins.</summary>
    public static Dictionary<string, string> FromForm(byte[] body) =>
        QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).ToDictionary(p => p.Key, p => p.Value.LastOrDefault() ?? "", StringComparer.Ordinal);
}
