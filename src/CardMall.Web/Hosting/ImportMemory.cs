namespace CardMall.Web.Hosting;

/// <summary>
/// After an import of many keys, the request's garbage (its body, the parsed lines, the sealed keys) sits in the
/// oldest generation until the next full collection, which on a node that only sells may not come for a long
/// time: the process kept 100+ MiB it no longer used (bench/storefront.sh, docs/benchmarks.md). One compacting
/// collection once the response has gone out gives it back. Imports of that size are an operator's occasional
/// act, so the short pause is paid rarely.
/// </summary>
public static class ImportMemory
{
    public const int LinesWorthACollection = 10_000;

    public static void ReturnAfter(HttpResponse response, int lines)
    {
        if (lines < LinesWorthACollection)
            return;
        response.OnCompleted(() =>
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return Task.CompletedTask;
        });
    }
}
