using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CardMall.Domain.Accounts;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests;

/// <summary>
/// Every endpoint and page the app maps (read from its own EndpointDataSource), requested as each kind of person,
/// against one table of what each may do. A route that is not in the table fails the test, so a new page or
/// endpoint cannot ship without someone deciding who may use it. Route values are ids that do not exist, so
/// "ok" means "let through" (the answer may then be 200, 400 or a 404 for the missing thing) — the ownership
/// rules (somebody else's order is a 404) have tests of their own.
/// </summary>
public sealed class AuthorizationMatrixTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    // What each person gets. Pages: ok, login (sent to sign in), denied (the access-denied page).
    // API: ok, 401 (no or wrong key), 403 (wrong role). A disabled account is not a column: whatever it was,
    // it gets exactly what an anonymous visitor gets, on every route (checked below with a disabled Admin).
    private static readonly string[] People = ["anonymous", ShopRoles.Buyer, ShopRoles.Reseller, ShopRoles.Agent, ShopRoles.Supervisor, ShopRoles.Operator, ShopRoles.Admin];

    // One row per route: the route, then what each person in People gets, in that order.
    private const string Table = """
        route                                                       anonym. Buyer   Resell. Agent   Superv. Operat. Admin
        GET /api/docs                                               ok      ok      ok      ok      ok      ok      ok
        GET /api/docs/scalar.js                                     ok      ok      ok      ok      ok      ok      ok
        GET /api/v1/admin/dashboard                                 401     403     403     403     403     ok      ok
        GET /api/v1/chats/{chatId:guid}                             401     ok      ok      ok      ok      ok      ok
        GET /api/v1/me                                              401     ok      ok      ok      ok      ok      ok
        GET /api/v1/orders                                          401     ok      ok      ok      ok      ok      ok
        GET /api/v1/orders/{orderNo}                                401     ok      ok      ok      ok      ok      ok
        GET /api/v1/products                                        401     ok      ok      ok      ok      ok      ok
        GET /api/v1/products/{sku}                                  401     ok      ok      ok      ok      ok      ok
        GET /api/v1/tickets                                         401     ok      ok      ok      ok      ok      ok
        GET /api/v1/tickets/{ticketNo}                              401     ok      ok      ok      ok      ok      ok
        GET /api/v1/wallet                                          401     ok      ok      ok      ok      ok      ok
        GET /api/v1/wallet/ledger                                   401     ok      ok      ok      ok      ok      ok
        GET /health/live                                            ok      ok      ok      ok      ok      ok      ok
        GET /health/ready                                           ok      ok      ok      ok      ok      ok      ok
        GET /hubs/chat                                              401     ok      ok      ok      ok      ok      ok
        GET /hubs/chat/negotiate                                    401     ok      ok      ok      ok      ok      ok
        GET /metrics                                                401     403     403     403     403     ok      ok
        GET /openapi/{documentName}.json                            ok      ok      ok      ok      ok      ok      ok
        PAGE /                                                      ok      ok      ok      ok      ok      ok      ok
        PAGE /Account/AccessDenied                                  denied  denied  denied  denied  denied  denied  denied
        PAGE /Account/Login                                         ok      ok      ok      ok      ok      ok      ok
        PAGE /Account/CheckEmail                                    ok      ok      ok      ok      ok      ok      ok
        PAGE /Account/ConfirmEmail                                  ok      ok      ok      ok      ok      ok      ok
        PAGE /Account/SignInCode                                    login   login   login   login   login   login   login
        PAGE /Account/Logout                                        ok      ok      ok      ok      ok      ok      ok
        PAGE /Account/Manage                                        login   ok      ok      ok      ok      ok      ok
        PAGE /Account/Manage/ApiKeys                                login   ok      ok      ok      ok      ok      ok
        PAGE /Account/Manage/TwoFactor                              login   ok      ok      ok      ok      ok      ok
        PAGE /Account/Manage/Index                                  login   ok      ok      ok      ok      ok      ok
        PAGE /Account/Register                                      ok      ok      ok      ok      ok      ok      ok
        PAGE /Admin                                                 login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/Agents                                          login   denied  denied  ok      ok      denied  ok
        PAGE /Admin/Agents/Index                                    login   denied  denied  ok      ok      denied  ok
        PAGE /Admin/Articles                                        login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/Articles/Edit/{slug?}                           login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/Articles/Index                                  login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/Batches                                         login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Batches/Import                                  login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Batches/Index                                   login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Chats/{id:guid?}                                login   denied  denied  ok      ok      denied  ok
        PAGE /Admin/Dashboard                                       login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/Dashboard/Index                                 login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/FollowUps                                       login   denied  denied  denied  ok      denied  ok
        PAGE /Admin/FollowUps/Index                                 login   denied  denied  denied  ok      denied  ok
        PAGE /Admin/Incidents                                       login   denied  denied  denied  ok      ok      ok
        PAGE /Admin/Incidents/Index                                 login   denied  denied  denied  ok      ok      ok
        PAGE /Admin/Incidents/{no}                                  login   denied  denied  denied  ok      ok      ok
        PAGE /Admin/Index                                           login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/Payouts                                         login   denied  denied  denied  ok      denied  ok
        PAGE /Admin/Payouts/Index                                   login   denied  denied  denied  ok      denied  ok
        PAGE /Admin/Products                                        login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Products/Edit/{sku}                             login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Products/Index                                  login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Products/New                                    login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Risk                                            login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/Risk/Index                                      login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/SandboxSupplier                                 login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/SandboxSupplier/Index                           login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Sla                                             login   denied  denied  denied  ok      denied  ok
        PAGE /Admin/Sla/Index                                       login   denied  denied  denied  ok      denied  ok
        PAGE /Admin/Stock                                           login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/Stock/Index                                     login   denied  denied  ok      ok      ok      ok
        PAGE /Admin/Gateways                                        login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Gateways/Index                                  login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Suppliers                                       login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Suppliers/Index                                 login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Suppliers/{code}                                login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Templates                                       login   denied  denied  denied  ok      denied  ok
        PAGE /Admin/Templates/Edit/{id:guid?}                       login   denied  denied  denied  ok      denied  ok
        PAGE /Admin/Templates/Index                                 login   denied  denied  denied  ok      denied  ok
        PAGE /Admin/Tickets                                         login   denied  denied  ok      ok      denied  ok
        PAGE /Admin/Tickets/Index                                   login   denied  denied  ok      ok      denied  ok
        PAGE /Admin/Tickets/{ticketNo}                              login   denied  denied  ok      ok      denied  ok
        PAGE /Admin/Tickets/{ticketNo}/Remedies                     login   denied  denied  ok      ok      denied  ok
        PAGE /Admin/Wallets                                         login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Wallets/Index                                   login   denied  denied  denied  denied  ok      ok
        PAGE /Admin/Audit                                           login   denied  denied  denied  denied  denied  ok
        PAGE /Admin/Audit/Index                                     login   denied  denied  denied  denied  denied  ok
        PAGE /Admin/Users                                           login   denied  denied  denied  denied  denied  ok
        PAGE /Admin/Users/Index                                     login   denied  denied  denied  denied  denied  ok
        PAGE /Assistant                                             ok      ok      ok      ok      ok      ok      ok
        PAGE /Assistant/Index                                       ok      ok      ok      ok      ok      ok      ok
        PAGE /Category/{slug}                                       ok      ok      ok      ok      ok      ok      ok
        PAGE /Chats/{chatId:guid}/Images/{id:guid}                  login   ok      ok      ok      ok      ok      ok
        PAGE /Chats/{id:guid?}                                      login   ok      ok      ok      ok      ok      ok
        PAGE /Culture                                               ok      ok      ok      ok      ok      ok      ok
        PAGE /Error                                                 ok      ok      ok      ok      ok      ok      ok
        PAGE /Help                                                  ok      ok      ok      ok      ok      ok      ok
        PAGE /Help/Index                                            ok      ok      ok      ok      ok      ok      ok
        PAGE /Help/{slug}                                           ok      ok      ok      ok      ok      ok      ok
        PAGE /Index                                                 ok      ok      ok      ok      ok      ok      ok
        PAGE /Lookup                                                ok      ok      ok      ok      ok      ok      ok
        PAGE /Lookup/Claim                                          login   ok      ok      ok      ok      ok      ok
        PAGE /Lookup/Index                                          ok      ok      ok      ok      ok      ok      ok
        PAGE /Lookup/Open                                           ok      ok      ok      ok      ok      ok      ok
        PAGE /Notifications                                         login   ok      ok      ok      ok      ok      ok
        PAGE /Orders                                                login   ok      ok      ok      ok      ok      ok
        PAGE /Orders/{orderNo}                                      login   ok      ok      ok      ok      ok      ok
        PAGE /Products/{sku}                                        ok      ok      ok      ok      ok      ok      ok
        PAGE /Products/{sku}/Guest                                  ok      ok      ok      ok      ok      ok      ok
        PAGE /Redeem                                                login   ok      ok      ok      ok      ok      ok
        PAGE /Redeem/Index                                          login   ok      ok      ok      ok      ok      ok
        PAGE /Sandbox/Pay/{tradeNo}                                 ok      ok      ok      ok      ok      ok      ok
        PAGE /Search                                                ok      ok      ok      ok      ok      ok      ok
        PAGE /Status/{code:int}                                     ok      ok      ok      ok      ok      ok      ok
        PAGE /Tickets                                               login   ok      ok      ok      ok      ok      ok
        PAGE /Tickets/Bulk                                          login   denied  ok      denied  denied  denied  denied
        PAGE /Tickets/New                                           login   ok      ok      ok      ok      ok      ok
        PAGE /Tickets/{ticketNo}                                    login   ok      ok      ok      ok      ok      ok
        PAGE /Tickets/{ticketNo}/Attachments/{id:guid}              login   ok      ok      ok      ok      ok      ok
        PAGE /Wallet                                                login   ok      ok      ok      ok      ok      ok
        PAGE /Wallet/Index                                          login   ok      ok      ok      ok      ok      ok
        PAGE /Wallet/TopUp/{topUpNo}                                login   ok      ok      ok      ok      ok      ok
        POST /api/v1/admin/dashboard/rollups                        401     403     403     403     403     ok      ok
        POST /api/v1/admin/products                                 401     403     403     403     403     ok      ok
        POST /api/v1/admin/products/{sku}/batches                   401     403     403     403     403     ok      ok
        POST /api/v1/admin/suppliers                                401     403     403     403     403     ok      ok
        POST /api/v1/admin/users                                    401     403     403     403     403     ok      ok
        POST /api/v1/admin/users/{userId}/disable                   401     403     403     403     403     ok      ok
        POST /api/v1/admin/users/{userId}/enable                    401     403     403     403     403     ok      ok
        POST /api/v1/admin/wallet-adjustments/{adjustmentId}/approve 401    403     403     403     403     ok      ok
        POST /api/v1/admin/wallet-adjustments/{adjustmentId}/reject 401     403     403     403     403     ok      ok
        DELETE /api/v1/admin/users/{userId}/api-keys                401     403     403     403     403     ok      ok
        DELETE /api/v1/admin/users/{userId}/api-keys/{keyId}        401     403     403     403     403     ok      ok
        POST /api/v1/admin/users/{userId}/wallet/adjustments        401     403     403     403     403     ok      ok
        POST /api/v1/assistant/messages                             401     ok      ok      ok      ok      ok      ok
        POST /api/v1/chats                                          401     ok      ok      ok      ok      ok      ok
        POST /api/v1/chats/{chatId:guid}/messages                   401     ok      ok      ok      ok      ok      ok
        POST /api/v1/orders                                         401     ok      ok      ok      ok      ok      ok
        POST /api/v1/tickets                                        401     ok      ok      ok      ok      ok      ok
        POST /api/v1/tickets/{ticketNo}/messages                    401     ok      ok      ok      ok      ok      ok
        POST /api/v1/tickets/{ticketNo}/rating                      401     ok      ok      ok      ok      ok      ok
        POST /api/v1/tickets/{ticketNo}/urge                        401     ok      ok      ok      ok      ok      ok
        POST /api/v1/webhooks/suppliers/{supplierCode}/activations  401     401     401     401     401     401     401
        GET /payments/{gateway}/notify                              ok      ok      ok      ok      ok      ok      ok
        POST /payments/{gateway}/notify                             ok      ok      ok      ok      ok      ok      ok
        POST /sandbox-supplier/api/cases                            ok      ok      ok      ok      ok      ok      ok
        POST /sandbox-supplier/api/keys/query                       ok      ok      ok      ok      ok      ok      ok
        PUT /api/v1/admin/sandbox-supplier/keys                     401     403     403     403     403     ok      ok
        """;

    private static readonly Dictionary<string, string> Expected = Table.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Skip(1)
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToDictionary(cells => string.Join(' ', cells[..^People.Length]), cells => string.Join(' ', cells[^People.Length..]));

    [Fact]
    public async Task Every_route_answers_each_kind_of_person_as_the_table_says()
    {
        var routes = Routes();
        var missing = routes.Where(r => !Expected.ContainsKey(r.Key)).ToList();
        var people = await PeopleAsync();

        var disabled = await DisabledAdminAsync();

        var wrong = new List<string>();
        var table = new StringBuilder();
        foreach (var route in routes)
        {
            var actual = new List<string>();
            foreach (var person in People)
                actual.Add(await OutcomeAsync(route, people[person]));
            var asDisabled = await OutcomeAsync(route, disabled);
            if (asDisabled != actual[0])
                wrong.Add($"{route.Key}: a disabled account got {asDisabled}, an anonymous visitor {actual[0]}");
            table.AppendLine($"        {route.Key,-60}{string.Join(' ', actual.Select(a => a.PadRight(7))).TrimEnd()}");
            if (Expected.TryGetValue(route.Key, out var expected) && Normalise(expected) != string.Join(' ', actual))
                wrong.Add($"{route.Key}: expected {Normalise(expected)}, got {string.Join(' ', actual)}");
        }

        Assert.True(missing.Count == 0 && wrong.Count == 0,
            (missing.Count > 0 ? $"Routes without a row in the table: {string.Join(", ", missing.Select(m => m.Key))}\n" : "")
            + (wrong.Count > 0 ? "Answers that differ from the table:\n" + string.Join('\n', wrong) + "\n" : "")
            + "What the app answers today:\n" + table);
        // Rows for routes that no longer exist are stale: the table stays the app's.
        Assert.Empty(Expected.Keys.Except(routes.Select(r => r.Key)));
    }

    private sealed record Route(string Key, string Method, string Path, bool IsApi);

    private sealed record Person(HttpClient Pages, HttpClient Api);

    private List<Route> Routes()
    {
        var source = shop.Factory.Services.GetRequiredService<EndpointDataSource>();
        var routes = new Dictionary<string, Route>();
        // Static files (MapStaticAssets) are public by design and each has a route of its own: not rows here.
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null))
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var isPage = endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null;
            var methods = isPage ? ["GET"] : endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                var key = $"{(isPage ? "PAGE" : method)} {pattern}";
                routes.TryAdd(key, new Route(key, method, Fill(pattern), IsKeyed(pattern)));
            }
        }
        return [.. routes.Values.OrderBy(r => r.Key, StringComparer.Ordinal)];
    }

    // Routes a program calls with an API key rather than a browser with a cookie: the JSON API and the operators'
    // Prometheus scrape (which a signed-in browser does not get: the scraper is not a browser).
    private static bool IsKeyed(string pattern) =>
        pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern == CardMall.Web.Hosting.ShopTelemetry.MetricsPath;

    // Route values that do not exist: an int, a guid, or a word; optional ones are left out.
    private static string Fill(string pattern) =>
        Regex.Replace(pattern, @"/?\{\**([^}:?]+)(:[^}?]+)?(\?)?\}", m =>
        {
            if (m.Groups[3].Success) return "";
            var slash = m.Value.StartsWith('/') ? "/" : "";
            var constraint = m.Groups[2].Value;
            if (m.Groups[1].Value == "documentName") return slash + "v1";
            return slash + (constraint.Contains("int", StringComparison.Ordinal) ? "404"
                : constraint.Contains("guid", StringComparison.Ordinal) ? "00000000-0000-0000-0000-000000000404"
                : "NO-SUCH-" + m.Groups[1].Value.ToUpperInvariant());
        });

    private async Task<Dictionary<string, Person>> PeopleAsync()
    {
        var people = new Dictionary<string, Person> { ["anonymous"] = new(Client(), shop.Factory.ApiClient(null)) };
        foreach (var role in People.Skip(1))
        {
            var account = await TestAccounts.CreateAsync(shop.Factory, role, role == ShopRoles.Reseller ? MemberTier.Reseller : MemberTier.Regular);
            var web = new WebSession(shop.Factory);
            Assert.Equal(HttpStatusCode.Redirect, (await web.SignInAsync(account.Email, account.Password)).Status);
            people[role] = new Person(web.Client, shop.Factory.ApiClient(account.ApiKey));
        }
        return people;
    }

    /// <summary>An Admin signed in by cookie and holding an API key, then disabled by another Admin.</summary>
    private async Task<Person> DisabledAdminAsync()
    {
        var account = await TestAccounts.CreateAsync(shop.Factory, ShopRoles.Admin);
        var web = new WebSession(shop.Factory);
        Assert.Equal(HttpStatusCode.Redirect, (await web.SignInAsync(account.Email, account.Password)).Status);
        var api = shop.Factory.ApiClient(account.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        var other = await TestAccounts.CreateAsync(shop.Factory, ShopRoles.Admin);
        var disable = await shop.Factory.ApiClient(other.ApiKey).PostAsync($"/api/v1/admin/users/{account.UserId}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        return new Person(web.Client, api);
    }

    private HttpClient Client() =>
        shop.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static async Task<string> OutcomeAsync(Route route, Person person)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path);
        if (route.Method is "POST" or "PUT" or "PATCH")
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await (route.IsApi ? person.Api : person.Pages).SendAsync(request);
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "401",
            HttpStatusCode.Forbidden => route.IsApi ? "403" : "denied",
            HttpStatusCode.Redirect or HttpStatusCode.Found when location.Contains("/Account/Login", StringComparison.Ordinal) => "login",
            HttpStatusCode.Redirect or HttpStatusCode.Found when location.Contains("/Account/AccessDenied", StringComparison.Ordinal) => "denied",
            _ => "ok",
        };
    }

    private static string Normalise(string row) => string.Join(' ', row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
