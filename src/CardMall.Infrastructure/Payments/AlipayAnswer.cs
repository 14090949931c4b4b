using System.Security.Cryptography;
using System.Text.Json;

namespace CardMall.Infrastructure.Payments;

/// <summary>
/// An answer of the Alipay API: <c>{"alipay_trade_query_response": {…}, "sign": "…"}</c> (or <c>error_response</c>).
/// The signature covers the raw JSON text of the response node exactly as it arrived, so that text is taken from the
/// document as it is, never re-serialised. An answer whose signature does not check is not an answer at all.
/// </summary>
public sealed record AlipayAnswer(string Code, string? Message, string? SubCode, string? SubMessage, IReadOnlyDictionary<string, string> Fields)
{
    public bool Succeeded => Code == "10000";

    public AlipayAnswerException Failure(string method) => new($"{method} answered {Code} {SubCode}: {SubMessage ?? Message}");

    public static AlipayAnswer Read(string json, string method, RSA alipayPublicKey)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw new AlipayAnswerException($"{method}: the answer is not JSON");
        }
        using (document)
        {
            var root = document.RootElement;
            var nodeName = method.Replace('.', '_') + "_response";
            if (root.ValueKind != JsonValueKind.Object
                || !(root.TryGetProperty(nodeName, out var node) || root.TryGetProperty("error_response", out node)) || node.ValueKind != JsonValueKind.Object)
                throw new AlipayAnswerException($"{method}: the answer has no {nodeName}");
            var signature = root.TryGetProperty("sign", out var sign) && sign.ValueKind == JsonValueKind.String ? sign.GetString() : null;
            if (!AlipaySignature.Verify(node.GetRawText(), signature, alipayPublicKey))
                throw new AlipayAnswerException($"{method}: the answer's signature does not check with Alipay's public key");
            var fields = node.EnumerateObject()
                .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
            return new AlipayAnswer(fields.GetValueOrDefault("code") ?? "", fields.GetValueOrDefault("msg"), fields.GetValueOrDefault("sub_code"),
                fields.GetValueOrDefault("sub_msg"), fields);
        }
    }
}

/// <summary>An Alipay answer that could not be believed or read; its message names no secret.</summary>
public sealed class AlipayAnswerException(string message) : Exception(message);
