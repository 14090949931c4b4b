using System.Globalization;
using CardMall.Application.Features.Admin;
using CardMall.Domain.Common;
using CsvHelper;
using Microsoft.Extensions.Localization;

namespace CardMall.Web.Pages.Admin.Audit;

/// <summary>
/// The audit log as CSV: UTF-8 with a byte-order mark (Excel reads Chinese right), headers in the viewer's
/// language, times in shop time. Every cell is text typed by someone (reasons, names, e-mails), so one that
/// starts with =, +, -, @, a tab or a carriage return is written with a leading ' and never runs as a formula.
/// </summary>
public static class AuditExport
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string FileName(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"cardmall-audit-{ShopTime.Day(now)}.csv");

    public static byte[] Write(IEnumerable<AuditEntry> records, IStringLocalizer t)
    {
        using var buffer = new MemoryStream();
        var options = new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape };
        using (var csv = CsvWriter.Create(buffer, options, leaveOpen: true))
        {
            csv.WriteHeader(new[] { "Audit.Csv.At", "Audit.Csv.Actor", "Audit.Csv.Action", "Audit.Csv.Subject", "Audit.Csv.Detail", "Audit.Csv.Ip" }
                .Select(h => t[h].Value).ToArray());
            foreach (var r in records)
            {
                csv.WriteField(TimeZoneInfo.ConvertTime(r.At, ShopTime.Zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                csv.WriteField(r.Actor);
                csv.WriteField(t["Audit.Action." + r.Action].Value);
                csv.WriteField(r.Subject);
                csv.WriteField(r.Detail);
                csv.WriteField(r.IpAddress);
                csv.EndRecord();
            }
        }
        return buffer.ToArray();
    }
}
