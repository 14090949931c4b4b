using System.IO.Compression;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CardMall.Web.Api;

/// <summary>
/// <c>/api/docs</c>: the API reference resellers read, Scalar's viewer over <c>/openapi/v1.json</c>
/// (docs/decisions/0027). Scalar.AspNetCore's own page configures the viewer in an inline script, which the shop's
/// Content-Security-Policy refuses (<c>script-src 'self'</c>); so the page here is plain HTML that loads the viewer
/// from the package (its embedded, gzipped <c>scalar.js</c>: no CDN) and configures it from <c>js/api-docs.js</c>.
/// </summary>
public static class ApiReference
{
    public const string Path = "/api/docs";

    public const string ViewerPath = Path + "/scalar.js";

    // Scalar.AspNetCore embeds its viewer under this name (see its ScalarEndpointRouteBuilderExtensions); a test
    // fetches the viewer, so a package update that moves it fails there rather than in a reseller's browser.
    private static readonly EmbeddedFileProvider Package = new(typeof(Scalar.AspNetCore.ScalarOptions).Assembly, "ScalarStaticAssets");

    private const string Page = $"""
        <!doctype html>
        <html lang="en">
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>CardMall API reference</title>
            <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        </head>
        <body>
            <!-- Not id="api-reference": Scalar's script mounts itself on that element on its own, unconfigured. -->
            <div id="reference" data-document="/openapi/{ApiDocument.Name}.json"></div>
            <script src="{ViewerPath}"></script>
            <script src="/js/api-docs.js"></script>
        </body>
        </html>
        """;

    public static void MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, () => TypedResults.Content(Page, "text/html; charset=utf-8")).ExcludeFromDescription().AllowAnonymous();
        app.MapGet(ViewerPath, ViewerAsync).ExcludeFromDescription().AllowAnonymous();
    }

    private static IResult ViewerAsync(HttpContext http)
    {
        var file = Package.GetFileInfo("scalar.js");
        if (!file.Exists) return TypedResults.NotFound();
        // Stored gzipped in the package: sent as it is to a browser that accepts gzip, unpacked for one that does not.
        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        http.Response.Headers.CacheControl = "public, max-age=3600";
        if (http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.ContentEncoding = "gzip";
            return TypedResults.Stream(file.CreateReadStream(), "text/javascript");
        }
        return TypedResults.Stream(new GZipStream(file.CreateReadStream(), CompressionMode.Decompress), "text/javascript");
    }
}
