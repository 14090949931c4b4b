using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using CardMall.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CardMall.IntegrationTests.Support;

/// <summary>
/// A person with a browser, minus the browser: keeps cookies, reads pages, and submits forms the way
/// a browser does (including the antiforgery token the page rendered).
/// </summary>
public sealed class WebSession(ShopFactory factory, string? language = null) : IDisposable
{
    private readonly HttpClient _client = Create(factory, language);

    public HttpClient Client => _client;

    private static HttpClient Create(ShopFactory factory, string? language)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    public async Task<Page> GetAsync(string url)
    {
        var response = await _client.GetAsync(url);
        return await Page.ReadAsync(response);
    }

    /// <summary>Fills the form found by <paramref name="formSelector"/> on <paramref name="url"/> and submits it.</summary>
    public async Task<Page> SubmitAsync(string url, string formSelector, IDictionary<string, string> fields, string? submitName = null, string? submitValue = null)
    {
        var page = await GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form {formSelector} on {url}");
        // A form may repeat a name (number inputs each add an __Invariant marker), so keep a list.
        var values = form.QuerySelectorAll("input[type=hidden]")
            .OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name) && !fields.ContainsKey(i.Name!))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .ToList();
        values.AddRange(fields);
        if (submitName is not null) values.Add(new KeyValuePair<string, string>(submitName, submitValue ?? ""));
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? url : form.GetAttribute("action")!;
        var response = await _client.PostAsync(action, new FormUrlEncodedContent(values));
        return await Page.ReadAsync(response);
    }

    /// <summary>Follows one redirect, as a browser would after a form post.</summary>
    public async Task<Page> FollowAsync(Page page)
    {
        Assert.True(page.Status is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, $"expected a redirect, got {(int)page.Status}");
        return await GetAsync(page.Location!);
    }

    public async Task<Page> SignInAsync(string email, string password) =>
        await SubmitAsync("/Account/Login", "form[data-testid=login-form]",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    public void Dispose() => _client.Dispose();

    public sealed record Page(HttpStatusCode Status, string Html, IHtmlDocument Document, string? Location, string? ContentType)
    {
        public static async Task<Page> ReadAsync(HttpResponseMessage response)
        {
            var html = await response.Content.ReadAsStringAsync();
            var doc = new HtmlParser().ParseDocument(html);
            return new Page(response.StatusCode, html, doc, response.Headers.Location?.OriginalString, response.Content.Headers.ContentType?.MediaType);
        }

        /// <summary>The error messages shown under a field, e.g. "Input.Email".</summary>
        public IReadOnlyList<string> FieldErrors(string field) =>
            Document.QuerySelectorAll($"span[data-valmsg-for='{field}']").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();

        public string PageErrors => string.Join(" ", Document.QuerySelectorAll(".validation-summary-errors li").Select(e => e.TextContent.Trim()));
    }
}
