using System.Text;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// The buyer downloads the order's keys as TXT (code----secret) or CSV; each key's download is recorded. Void
/// keys are gone, and frozen ones stay out until the team has checked them.
/// </summary>
public sealed record DownloadKeys(string OrderNo, string Format) : ICommand<KeyFile>;

internal sealed class DownloadKeysHandler(ICardMallDb db, OrderReading reading)
    : IRequestHandler<DownloadKeys, KeyFile>
{
    public async Task<KeyFile> Handle(DownloadKeys request, CancellationToken cancellationToken)
    {
        var order = await reading.FindOwnAsync(request.OrderNo, cancellationToken)
            ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));
        var csv = string.Equals(request.Format, "csv", StringComparison.OrdinalIgnoreCase);
        var keyIds = order.Items.Select(i => i.CardKeyId).ToList();
        var keys = await db.CardKeys.Where(k => keyIds.Contains(k.Id) && k.State != CardKeyState.Void && k.State != CardKeyState.Frozen).OrderBy(k => k.SoldAt).ThenBy(k => k.Id).ToListAsync(cancellationToken);
        var text = new StringBuilder();
        if (csv) text.Append("code,secret,expires_at\r\n");
        foreach (var key in keys)
        {
            var opened = reading.Open(key, order, CardKeyEventKind.Downloaded, "format:" + (csv ? "csv" : "txt"));
            text.Append(csv
                ? $"{Csv(opened.Code)},{Csv(opened.Secret ?? "")},{key.ExpiresAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}\r\n"
                : opened.Secret is null ? opened.Code + "\r\n" : $"{opened.Code}----{opened.Secret}\r\n");
        }
        // A BOM so Excel reads the CSV as UTF-8.
        var bytes = csv ? [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())] : Encoding.UTF8.GetBytes(text.ToString());
        return new KeyFile($"{order.No}.{(csv ? "csv" : "txt")}", csv ? "text/csv" : "text/plain", bytes);
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

public sealed record KeyFile(string FileName, string ContentType, byte[] Content);
