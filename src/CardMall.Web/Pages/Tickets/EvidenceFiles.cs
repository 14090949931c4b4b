using CardMall.Application.Features.Tickets;

namespace CardMall.Web.Pages.Tickets;

/// <summary>
/// Turns the images a form posted into evidence for the use cases, which judge them (type by content,
/// size, count). A file is read only one byte past the size limit, enough to be refused as too large.
/// </summary>
public static class EvidenceFiles
{
    public static async Task<IReadOnlyList<EvidenceUpload>> ReadAsync(IEnumerable<IFormFile>? files, int maxBytes, CancellationToken ct)
    {
        var uploads = new List<EvidenceUpload>();
        foreach (var file in files ?? [])
        {
            // A file input left empty still posts a nameless, empty part.
            if (file.Length == 0 && string.IsNullOrEmpty(file.FileName)) continue;
            var limit = (int)Math.Min(file.Length, maxBytes + 1L);
            var content = new byte[limit];
            await using var stream = file.OpenReadStream();
            var read = 0;
            while (read < limit)
            {
                var n = await stream.ReadAsync(content.AsMemory(read, limit - read), ct);
                if (n == 0) break;
                read += n;
            }
            uploads.Add(new EvidenceUpload(file.FileName, read == limit ? content : content[..read]));
        }
        return uploads;
    }

    /// <summary>Whatever the use case said about the images, under one field of the form.</summary>
    public static IReadOnlyList<string> Errors(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state, string prefix) =>
        state.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .SelectMany(e => e.Value!.Errors.Select(x => x.ErrorMessage))
            .Distinct().ToList();
}
