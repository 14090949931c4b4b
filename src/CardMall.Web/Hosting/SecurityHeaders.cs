namespace CardMall.Web.Hosting;

/// <summary>
/// The headers every response carries (NetEscapades.AspNetCore.SecurityHeaders; docs/decisions/0022). Scripts
/// come only from the shop's own files (<c>script-src 'self'</c>, no nonce: pages may be output-cached, so one
/// response is served to many people), nothing may frame a page, and the browser never guesses a content type.
/// Data a script needs travels in data-* attributes or in <c>&lt;script type="application/json"&gt;</c> blocks,
/// which the browser does not execute.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Origins besides this shop that a form may post to or be redirected to (a payment gateway's cashier).</summary>
    public const string FormActionOriginsKey = "CardMall:SecurityHeaders:FormActionOrigins";

    public static WebApplication UseShopSecurityHeaders(this WebApplication app)
    {
        var formActionOrigins = app.Configuration.GetSection(FormActionOriginsKey).Get<string[]>() ?? [];
        var policy = new HeaderPolicyCollection()
            .AddFrameOptionsDeny()
            .AddContentTypeOptionsNoSniff()
            .AddReferrerPolicyStrictOriginWhenCrossOrigin()
            .AddCrossOriginOpenerPolicy(b => b.SameOrigin())
            .RemoveServerHeader()
            .AddPermissionsPolicy(b =>
            {
                // The shop needs none of the device's sensors, camera, microphone, location or payment sheet.
                b.AddDefaultSecureDirectives();
            })
            .AddContentSecurityPolicy(b =>
            {
                b.AddDefaultSrc().Self();
                b.AddScriptSrc().Self();
                b.AddScriptSrcAttr().None();
                // Style attributes are gone from the pages; Bootstrap and Chart.js set element.style from script,
                // which style-src does not restrict. Inline <style> blocks are not used either.
                b.AddStyleSrc().Self();
                // data: for Bootstrap's SVG icons in its CSS (select arrows, the navbar toggler).
                b.AddImgSrc().Self().Data();
                b.AddFontSrc().Self();
                // The chat panel's SignalR connection: 'self' covers ws(s) to the same host.
                b.AddConnectSrc().Self();
                b.AddObjectSrc().None();
                b.AddBaseUri().Self();
                var forms = b.AddFormAction().Self();
                foreach (var origin in formActionOrigins) forms.From(origin);
                b.AddFrameAncestors().None();
            });
        app.UseSecurityHeaders(policy);
        return app;
    }
}
