using System.Globalization;
using System.Text;
using CardMall.Application.Csv;
using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CsvHelper;
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
        if (csv) return new KeyFile(order.No + ".csv", "text/csv", Csv(keys, key => reading.Open(key, order, CardKeyEventKind.Downloaded, "format:csv")));
        var text = new StringBuilder();
        foreach (var key in keys)
        {
            var opened = reading.Open(key, order, CardKeyEventKind.Downloaded, "format:txt");
            text.Append(opened.Secret is null ? opened.Code + "\r\n" : $"{opened.Code}----{opened.Secret}\r\n");
        }
        return new KeyFile(order.No + ".txt", "text/plain", Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// Through the shop's one CSV cell rule (<see cref="CsvCells"/>). Imports refuse keys that start like a
    /// formula, so a key is written as it is; one stored before that rule would get the leading quote (the TXT
    /// download always has it exactly).
    /// </summary>
    private static byte[] Csv(IReadOnlyList<CardKey> keys, Func<CardKey, OpenedCardKey> open)
    {
        using var buffer = new MemoryStream();
        using (var writer = CsvWriter.Create(buffer, CsvCells.Options, leaveOpen: true))
        {
            writer.WriteHeader(["code", "secret", "expires_at"]);
            foreach (var key in keys)
            {
                var opened = open(key);
                writer.WriteField(opened.Code);
                writer.WriteField(opened.Secret ?? "");
                writer.WriteField(key.ExpiresAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
                writer.EndRecord();
            }
        }
        return buffer.ToArray();
    }
}

public sealed record KeyFile(string FileName, string ContentType, byte[] Content);
