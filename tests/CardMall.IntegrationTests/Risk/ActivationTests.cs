using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using CardMall.Application.Features.Risk;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CardMall.IntegrationTests.Risk;

/// <summary>
/// Activation monitoring against PostgreSQL: the suppliers' signed webhook (signature, replays, bad input),
/// the multi-device rule (freeze, one system ticket, the buyer told, a staff alert — also when the events
/// race), unfreezing, what a buyer sees of a frozen key, the redeem page for platform codes, and the
/// new-device sign-in notice.
/// </summary>
public sealed class ActivationTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private const string Secret = "test-webhook-secret-123456";

    private readonly TicketTestKit _kit = new(shop);

    // ---- the webhook ----

    [Fact]
    public async Task A_missing_or_bad_signature_is_401_and_nothing_is_stored()
    {
        var (order, supplier) = await SoldKeyAsync();
        var json = Event(order.Codes[0], "device-a", _kit.Clock.GetUtcNow());

        var missing = await PostAsync(supplier, json, signature: null);
        var wrongSecret = await PostAsync(supplier, json, signature: Sign("another-secret-0000000", json));
        var garbage = await PostAsync(supplier, json, signature: "sha256=not-hex");
        var noPrefix = await PostAsync(supplier, json, signature: Sign(Secret, json)["sha256=".Length..]);
        // Signed, then changed: the signature covers the raw bytes.
        var tampered = await PostAsync(supplier, json.Replace("device-a", "device-b", StringComparison.Ordinal), signature: Sign(Secret, json));

        foreach (var response in new[] { missing, wrongSecret, garbage, noPrefix, tampered })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
            Assert.DoesNotContain(order.Codes[0], await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(0L, await EventsAsync(order));
    }

    [Fact]
    public async Task An_unknown_supplier_is_401_even_with_a_signature()
    {
        var (order, _) = await SoldKeyAsync();
        var json = Event(order.Codes[0], "device-a", _kit.Clock.GetUtcNow());

        var response = await PostAsync("NO-SUCH-SUPPLIER", json);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthorized", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0L, await EventsAsync(order));
    }

    [Fact]
    public async Task A_signed_event_is_202_and_stored_once_however_often_it_is_replayed()
    {
        var (order, supplier) = await SoldKeyAsync();
        var json = Event(order.Codes[0], "device-a", _kit.Clock.GetUtcNow(), ip: "203.0.113.7", result: "failed");

        var first = await PostAsync(supplier, json);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("", await first.Content.ReadAsStringAsync());
        Assert.Equal(1L, await EventsAsync(order));

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(supplier, json)).StatusCode);
        var together = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(supplier, json)));
        Assert.All(together, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));

        Assert.Equal(1L, await EventsAsync(order));
        var stored = await StoredEventAsync(order);
        Assert.Equal(("webhook", "device-a", "203.0.113.7", "failed"), (stored.Source, stored.DeviceId, stored.Ip, stored.Result));
        // A failed try is not a redemption: the key stays with its buyer, usable.
        Assert.Equal(CardKeyState.Sold, await KeyStateAsync(order));
    }

    [Fact]
    public async Task A_successful_activation_marks_the_sold_key_redeemed_once()
    {
        var (order, supplier) = await SoldKeyAsync();
        var json = Event(order.Codes[0], "device-a", _kit.Clock.GetUtcNow(), result: "success");

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostAsync(supplier, json)));

        Assert.Equal(CardKeyState.Redeemed, await KeyStateAsync(order));
        Assert.Equal(1L, await _kit.CountAsync(
            "SELECT count(*) FROM card_key_events e JOIN order_items i ON i.card_key_id = e.card_key_id WHERE i.id = $1 AND e.kind = 'Redeemed'", order.ItemIds[0]));
        var api = await OrderJsonAsync(order);
        Assert.Equal("redeemed", api.GetProperty("items")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_bad_body_with_a_good_signature_is_400_and_an_unknown_code_is_accepted_without_a_trace()
    {
        var (order, supplier) = await SoldKeyAsync();
        var now = _kit.Clock.GetUtcNow();

        string[] bad =
        [
            "not json",
            "[]",
            JsonSerializer.Serialize(new { code = order.Codes[0], deviceId = "d", result = "success" }),
            JsonSerializer.Serialize(new { code = order.Codes[0], deviceId = "d", at = "yesterday", result = "success" }),
            JsonSerializer.Serialize(new { code = order.Codes[0], deviceId = "", at = now, result = "success" }),
            JsonSerializer.Serialize(new { code = "", deviceId = "d", at = now, result = "success" }),
            JsonSerializer.Serialize(new { code = order.Codes[0], deviceId = new string('d', 129), at = now, result = "success" }),
            JsonSerializer.Serialize(new { code = order.Codes[0], deviceId = "d", at = now, result = new string('r', 33) }),
        ];
        foreach (var json in bad)
        {
            var response = await PostAsync(supplier, json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal("validation_failed", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
            Assert.DoesNotContain(order.Codes[0], text, StringComparison.OrdinalIgnoreCase);
        }

        // Not one of ours (and another supplier's key is not this supplier's to report): 202, nothing kept.
        var unknown = await PostAsync(supplier, Event("NO-SUCH-CODE-123456", "d", now));
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        var otherSupplierSku = (await new TestShop(shop.Factory).ProductWithKeysAsync(2, price: 10.00m)).Sku;
        var otherOrder = await _kit.BuyAsync(await _kit.BuyerAsync(10.00m), otherSupplierSku, 1);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(supplier, Event(otherOrder.Codes[0], "d", now, result: "success"))).StatusCode);

        Assert.Equal(0L, await EventsAsync(order));
        Assert.Equal(0L, await EventsAsync(otherOrder));
        Assert.Equal(CardKeyState.Sold, await KeyStateAsync(otherOrder));
        Assert.DoesNotContain(order.Codes[0], shop.Factory.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    // ---- the multi-device rule ----

    [Fact]
    public async Task Three_devices_within_ten_minutes_freeze_the_key_open_one_high_ticket_tell_the_buyer_and_alert_staff()
    {
        var (order, supplier) = await SoldKeyAsync();
        var start = _kit.Clock.GetUtcNow();

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(supplier, Event(order.Codes[0], "device-a", start))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(supplier, Event(order.Codes[0], "device-b", start.AddMinutes(4)))).StatusCode);
        // The same device again is not a new one.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(supplier, Event(order.Codes[0], "device-b", start.AddMinutes(5)))).StatusCode);
        Assert.Equal(CardKeyState.Sold, await KeyStateAsync(order));

        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(supplier, Event(order.Codes[0], "device-c", start.AddMinutes(9)))).StatusCode);
        // Later tries find it frozen already: still one ticket, one alert.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(supplier, Event(order.Codes[0], "device-d", start.AddMinutes(9.5)))).StatusCode);

        await AssertFrozenOnceAsync(order);
        var ticket = await SystemTicketAsync(order);
        // The buyer reads why, in plain words, in their own language (they signed up in Chinese).
        Assert.Contains("冻结", ticket.Description, StringComparison.Ordinal);
        Assert.Contains(order.OrderNo, ticket.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(order.Codes[0], ticket.Description, StringComparison.OrdinalIgnoreCase);
        var buyerView = await _kit.GetTicketAsync(order.Account, ticket.No);
        Assert.Equal("high", buyerView.GetProperty("priority").GetString());
        Assert.Equal("account_abnormal", buyerView.GetProperty("category").GetString());
    }

    [Fact]
    public async Task Events_arriving_at_the_same_time_freeze_the_key_once_and_open_exactly_one_ticket()
    {
        var sku = (await _kit.Shop.ProductWithKeysAsync(8, price: 10.00m)).Sku;
        var supplier = await _kit.Shop.SupplierAsync();
        var start = _kit.Clock.GetUtcNow();
        // Several keys at once, each tried from more devices than needed in the same instant.
        var orders = new List<BoughtOrder>();
        for (var i = 0; i < 4; i++) orders.Add(await _kit.BuyAsync(await _kit.BuyerAsync(10.00m), sku, 1));

        var responses = await Task.WhenAll(orders.SelectMany(o => Enumerable.Range(0, 4)
            .Select(d => PostAsync(supplier, Event(o.Codes[0], $"device-{d}", start.AddSeconds(d))))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        foreach (var o in orders)
        {
            Assert.Equal(4L, await EventsAsync(o));
            await AssertFrozenOnceAsync(o);
        }
    }

    [Fact]
    public async Task Three_devices_spread_over_more_than_ten_minutes_do_not_freeze_the_key()
    {
        var (order, supplier) = await SoldKeyAsync();
        var start = _kit.Clock.GetUtcNow();

        foreach (var (device, minutes) in new[] { ("device-a", 0.0), ("device-b", 6.0), ("device-c", 12.0), ("device-d", 23.0) })
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(supplier, Event(order.Codes[0], device, start.AddMinutes(minutes)))).StatusCode);

        Assert.Equal(CardKeyState.Sold, await KeyStateAsync(order));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1", order.Buyer.UserId));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM risk_alerts WHERE card_key_id = $1", await KeyIdAsync(order)));
    }

    [Fact]
    public async Task Events_sent_late_and_out_of_order_still_count_within_their_window()
    {
        var (order, supplier) = await SoldKeyAsync();
        var start = _kit.Clock.GetUtcNow();

        await PostAsync(supplier, Event(order.Codes[0], "device-c", start.AddMinutes(8)));
        await PostAsync(supplier, Event(order.Codes[0], "device-b", start.AddMinutes(4)));
        await PostAsync(supplier, Event(order.Codes[0], "device-a", start));

        await AssertFrozenOnceAsync(order);
    }

    [Fact]
    public async Task An_agent_unfreezes_the_key_and_the_buyer_can_see_it_again()
    {
        var (order, supplier) = await SoldKeyAsync();
        await FreezeByDevicesAsync(order, supplier);
        var ticket = await SystemTicketAsync(order);
        var keyId = await KeyIdAsync(order);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        // Not the buyer's to undo, and not without a reason.
        var byBuyer = await _kit.RefusalAsync(order.Buyer, new UnfreezeKey(keyId, "it was me"));
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(byBuyer).Code);
        Assert.IsType<ValidationException>(await _kit.RefusalAsync(agent, new UnfreezeKey(keyId, "  ")));

        var unfrozen = await _kit.SendAsync(agent, new UnfreezeKey(keyId, "The buyer confirmed the three devices are theirs."));

        Assert.Equal(new KeyUnfrozen(keyId, CardKeyState.Sold), unfrozen);
        Assert.Equal(CardKeyState.Sold, await KeyStateAsync(order));
        Assert.Equal("The buyer confirmed the three devices are theirs.", await _kit.ScalarAsync<string>(
            "SELECT detail FROM card_key_events WHERE card_key_id = $1 AND kind = 'Unfrozen' AND actor_user_id = $2", keyId, agent.UserId));
        // The colleagues see why on the ticket; the buyer does not see the internal note, but hears the key is back.
        Assert.Equal(1L, await _kit.CountAsync(
            "SELECT count(*) FROM ticket_messages WHERE ticket_id = $1 AND is_internal AND author_id = $2 AND body LIKE '%confirmed the three devices%'", ticket.Id, agent.UserId));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM risk_alerts WHERE card_key_id = $1 AND acknowledged_at IS NULL", keyId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'KeyUnfrozen'", order.Buyer.UserId));
        var api = await OrderJsonAsync(order);
        Assert.Equal(order.Codes[0], api.GetProperty("items")[0].GetProperty("code").GetString());

        // Twice is a clear refusal, not a 500.
        var again = await _kit.RefusalAsync(agent, new UnfreezeKey(keyId, "again"));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(again).Code);
        // The devices already judged do not freeze it again on the next event.
        _kit.Clock.Advance(TimeSpan.FromSeconds(1));
        await PostAsync(supplier, Event(order.Codes[0], "device-a", _kit.Clock.GetUtcNow().AddSeconds(-30)));
        Assert.Equal(CardKeyState.Sold, await KeyStateAsync(order));
    }

    // ---- what the buyer sees of a frozen key ----

    [Fact]
    public async Task A_frozen_key_is_not_revealed_in_the_api_the_page_or_a_download()
    {
        var sku = (await _kit.Shop.ProductWithKeysAsync(4, price: 10.00m)).Sku;
        var supplier = await _kit.Shop.SupplierAsync();
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(20.00m), sku, 2);
        await FreezeByDevicesAsync(order, supplier);

        var api = (await OrderJsonAsync(order)).GetProperty("items");
        var frozen = api.EnumerateArray().Single(i => i.GetProperty("itemId").GetGuid() == order.ItemIds[0]);
        Assert.Equal("frozen", frozen.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, frozen.GetProperty("code").ValueKind);
        Assert.Equal(JsonValueKind.Null, frozen.GetProperty("secret").ValueKind);
        Assert.Equal(order.Codes[1], api.EnumerateArray().Single(i => i.GetProperty("itemId").GetGuid() == order.ItemIds[1]).GetProperty("code").GetString());

        using var web = await _kit.SignInAsync(order.Buyer);
        var page = await web.GetAsync("/Orders/" + order.OrderNo);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var row = page.Document.QuerySelector($"[data-testid=key-row][data-item-id='{order.ItemIds[0]}']")!;
        Assert.NotNull(row.QuerySelector("[data-testid=masked-key]"));
        Assert.Null(row.QuerySelector("[data-testid=reveal]"));
        Assert.Contains("Frozen for your safety", row.QuerySelector("[data-testid=frozen-note]")!.TextContent, StringComparison.Ordinal);

        // Asked for anyway, by hand: a plain refusal, the code nowhere, no reveal on record.
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var reveal = await web.Client.PostAsync($"/Orders/{order.OrderNo}?handler=Reveal&itemId={order.ItemIds[0]}",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        var html = await reveal.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, reveal.StatusCode);
        Assert.Contains("our team is checking", html, StringComparison.Ordinal);
        Assert.DoesNotContain(order.Codes[0], html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM card_key_events WHERE card_key_id = $1 AND kind = 'Revealed' AND detail = 'channel:web'",
            await KeyIdAsync(order)));

        var download = await web.SubmitAsync("/Orders/" + order.OrderNo, "form[data-testid=download-txt]", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Contains(order.Codes[1], download.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(order.Codes[0], download.Html, StringComparison.Ordinal);
    }

    // ---- the staff's alerts ----

    [Fact]
    public async Task Staff_see_the_alert_with_its_ticket_and_mark_it_handled_buyers_cannot_see_alerts()
    {
        var (order, supplier) = await SoldKeyAsync();
        await FreezeByDevicesAsync(order, supplier);
        var ticket = await SystemTicketAsync(order);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        using var web = await _kit.SignInAsync(agent);
        var overview = await web.GetAsync("/Admin");
        Assert.Equal(HttpStatusCode.OK, overview.Status);
        Assert.NotEqual("0", overview.Document.QuerySelector("[data-testid=open-risk-alert-count]")!.TextContent.Trim());

        var page = await web.GetAsync("/Admin/Risk");
        var card = page.Document.QuerySelectorAll("[data-testid=risk-alert]")
            .Single(c => c.QuerySelector("[data-testid=risk-alert-ticket]")?.TextContent.Trim() == ticket.No);
        Assert.Equal("multi_device", card.GetAttribute("data-kind"));
        Assert.Contains("Tried on many devices", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Tried on 3 different devices within 10 minutes", card.QuerySelector("[data-testid=risk-alert-detail]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/Admin/Tickets/" + ticket.No, card.QuerySelector("[data-testid=risk-alert-ticket]")!.GetAttribute("href"));

        var form = (IHtmlFormElement)card.QuerySelector("form")!;
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var posted = await web.Client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(agent.UserId, await _kit.ScalarAsync<Guid>("SELECT acknowledged_by FROM risk_alerts WHERE ticket_id = $1", ticket.Id));
        var after = await web.GetAsync("/Admin/Risk");
        Assert.DoesNotContain(after.Document.QuerySelectorAll("[data-testid=risk-alert-ticket]"), a => a.TextContent.Trim() == ticket.No);
        var done = await web.GetAsync("/Admin/Risk?done=true");
        Assert.Contains(done.Document.QuerySelectorAll("[data-testid=risk-alert-ticket]"), a => a.TextContent.Trim() == ticket.No);

        using var buyerWeb = await _kit.SignInAsync(order.Buyer);
        var refused = await buyerWeb.GetAsync("/Admin/Risk");
        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.Contains("/Account/AccessDenied", refused.Location, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(order.Buyer, new ListRiskAlerts())).Code);
    }

    // ---- the redeem page ----

    [Fact]
    public async Task A_platform_code_is_redeemed_once_on_the_redeem_page_a_second_time_is_a_clear_error()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(3, price: 10.00m, nameEn: "CardMall Plus test month");
        await _kit.ExecuteAsync("UPDATE products SET is_platform_issued = true WHERE sku = $1", sku);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(10.00m), sku, 1);
        // A present: somebody else redeems the code the buyer bought.
        var friend = await _kit.BuyerAsync(0m);
        using var web = await _kit.SignInAsync(friend);

        var form = await web.GetAsync("/Redeem");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("Redeem a membership code", form.Html, StringComparison.Ordinal);

        var redeemed = await RedeemAsync(web, " " + order.Codes[0].ToLowerInvariant() + " ");
        Assert.Equal(HttpStatusCode.Redirect, redeemed.Status);
        var shown = await web.FollowAsync(redeemed);
        Assert.Contains("Redeemed: CardMall Plus test month", shown.Document.QuerySelector("[data-testid=redeem-success]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(CardKeyState.Redeemed, await KeyStateAsync(order));
        var stored = await StoredEventAsync(order);
        Assert.Equal(("platform", (Guid?)null, "success"), (stored.Source, stored.SupplierId, stored.Result));
        Assert.Matches("^[0-9a-f]{64}$", stored.DeviceId);

        var again = await RedeemAsync(web, order.Codes[0]);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("already been redeemed", string.Join(" ", again.FieldErrors("Input.Code")), StringComparison.Ordinal);
        Assert.DoesNotContain(order.Codes[0], again.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2L, await EventsAsync(order));
        Assert.Equal(CardKeyState.Redeemed, await KeyStateAsync(order));
    }

    [Fact]
    public async Task The_redeem_page_refuses_other_platforms_codes_unknown_codes_and_empty_input_in_the_same_plain_words()
    {
        var (order, _) = await SoldKeyAsync();
        using var web = await _kit.SignInAsync(order.Buyer);

        var notOurs = await RedeemAsync(web, order.Codes[0]);
        var unknown = await RedeemAsync(web, "CARDMALL-NOPE-NOPE-NOPE-NOPE");
        var empty = await RedeemAsync(web, "   ");

        Assert.Equal(HttpStatusCode.OK, notOurs.Status);
        Assert.Contains("cannot be redeemed on CardMall", string.Join(" ", notOurs.FieldErrors("Input.Code")), StringComparison.Ordinal);
        // No telling real codes from made-up ones.
        Assert.Equal(notOurs.FieldErrors("Input.Code"), unknown.FieldErrors("Input.Code"));
        Assert.DoesNotContain(order.Codes[0], notOurs.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("enter the membership code", string.Join(" ", empty.FieldErrors("Input.Code")), StringComparison.Ordinal);
        Assert.Equal(CardKeyState.Sold, await KeyStateAsync(order));
        Assert.Equal(0L, await EventsAsync(order));

        using var anonymous = new WebSession(shop.Factory, "en-US");
        var signInFirst = await anonymous.GetAsync("/Redeem");
        Assert.Equal(HttpStatusCode.Redirect, signInFirst.Status);
        Assert.Contains("/Account/Login", signInFirst.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frozen_platform_code_is_refused_in_plain_words()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(2, price: 10.00m);
        await _kit.ExecuteAsync("UPDATE products SET is_platform_issued = true WHERE sku = $1", sku);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(10.00m), sku, 1);
        await FreezeByDevicesAsync(order, await _kit.Shop.SupplierAsync());
        using var web = await _kit.SignInAsync(order.Buyer);

        var refused = await RedeemAsync(web, order.Codes[0]);

        Assert.Contains("frozen for now", string.Join(" ", refused.FieldErrors("Input.Code")), StringComparison.Ordinal);
        Assert.Equal(CardKeyState.Frozen, await KeyStateAsync(order));
    }

    // ---- new-device sign-in ----

    [Fact]
    public async Task Only_a_sign_in_from_a_second_device_tells_the_user()
    {
        var person = await _kit.BuyerAsync(0m);

        using (var firstDevice = await _kit.SignInAsync(person))
        {
            Assert.Equal(0L, await NewDeviceNoticesAsync(person));
            // The same browser again is not new.
            var again = await firstDevice.SignInAsync(person.Account.Email, person.Account.Password);
            Assert.Equal(HttpStatusCode.Redirect, again.Status);
            Assert.Equal(0L, await NewDeviceNoticesAsync(person));
            Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM user_devices WHERE user_id = $1", person.UserId));
        }

        using var secondDevice = new WebSession(shop.Factory, "en-US");
        secondDevice.Client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
        var signedIn = await secondDevice.SignInAsync(person.Account.Email, person.Account.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal(2L, await _kit.CountAsync("SELECT count(*) FROM user_devices WHERE user_id = $1", person.UserId));

        Assert.Equal(1L, await NewDeviceNoticesAsync(person));
        Assert.Equal("Chrome · Windows\u001f—", await _kit.ScalarAsync<string>("SELECT args FROM notifications WHERE user_id = $1 AND kind = 'NewDeviceSignIn'", person.UserId));
        Assert.Equal(1L, await _kit.CountAsync(
            "SELECT count(*) FROM outgoing_emails e JOIN notifications n ON n.id = e.notification_id WHERE n.user_id = $1 AND n.kind = 'NewDeviceSignIn'", person.UserId));
        var centre = await secondDevice.GetAsync("/Notifications");
        Assert.Contains("signed in from a new device: Chrome · Windows", centre.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_device_cookie_is_http_only_and_lax()
    {
        var person = await _kit.BuyerAsync(0m);
        using var web = new WebSession(shop.Factory, "en-US");
        var login = await web.GetAsync("/Account/Login");
        var token = login.Document.QuerySelector("form[data-testid=login-form] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var response = await web.Client.PostAsync("/Account/Login", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Input.Email", person.Account.Email), new("Input.Password", person.Account.Password)]));

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cardmall.device=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var value = cookie["cardmall.device=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
        // Only its hash is kept.
        Assert.Equal(DeviceTokens.Hash(value), await DeviceCookieAsync(person));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM user_devices WHERE device_hash = $1", value));
    }

    // ---- helpers ----

    /// <summary>A buyer who bought one key of a fresh product; the supplier the key came from.</summary>
    private async Task<(BoughtOrder Order, string Supplier)> SoldKeyAsync()
    {
        var order = await _kit.BuyerWithOrderAsync(quantity: 1);
        return (order, await _kit.Shop.SupplierAsync());
    }

    private async Task FreezeByDevicesAsync(BoughtOrder order, string supplier)
    {
        var start = _kit.Clock.GetUtcNow().AddMinutes(-5);
        foreach (var device in new[] { "device-a", "device-b", "device-c" })
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(supplier, Event(order.Codes[0], device, start = start.AddMinutes(1)))).StatusCode);
        Assert.Equal(CardKeyState.Frozen, await KeyStateAsync(order));
    }

    /// <summary>Frozen once, one system ticket at High priority about that key, one notice for the buyer, one alert.</summary>
    private async Task AssertFrozenOnceAsync(BoughtOrder order)
    {
        var keyId = await KeyIdAsync(order);
        Assert.Equal(CardKeyState.Frozen, await KeyStateAsync(order));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM card_key_events WHERE card_key_id = $1 AND kind = 'Frozen' AND detail = 'multi_device'", keyId));
        var ticket = await SystemTicketAsync(order);
        Assert.Equal((TicketPriority.High, "system", TicketCategory.AccountAbnormal), (ticket.Priority, ticket.Channel, ticket.Category));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_items WHERE ticket_id = $1 AND order_item_id = $2", ticket.Id, order.ItemIds[0]));
        Assert.Equal("System", await _kit.ScalarAsync<string>("SELECT author FROM ticket_messages WHERE ticket_id = $1", ticket.Id));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'KeyFrozenForSafety'", order.Buyer.UserId));
        Assert.Equal(1L, await _kit.CountAsync(
            "SELECT count(*) FROM outgoing_emails e JOIN notifications n ON n.id = e.notification_id WHERE n.user_id = $1 AND n.kind = 'KeyFrozenForSafety'", order.Buyer.UserId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM risk_alerts WHERE card_key_id = $1 AND kind = 'multi_device' AND ticket_id = $2", keyId, ticket.Id));
    }

    private async Task<Ticket> SystemTicketAsync(BoughtOrder order)
    {
        var tickets = await _kit.QueryAsync(db => db.Tickets.AsNoTracking().Where(t => t.BuyerId == order.Buyer.UserId && t.Channel == "system").ToListAsync());
        return Assert.Single(tickets);
    }

    private Task<Guid> KeyIdAsync(BoughtOrder order) => _kit.ScalarAsync<Guid>("SELECT card_key_id FROM order_items WHERE id = $1", order.ItemIds[0]);

    private async Task<CardKeyState> KeyStateAsync(BoughtOrder order) =>
        Enum.Parse<CardKeyState>(await _kit.ScalarAsync<string>("SELECT k.state FROM card_keys k JOIN order_items i ON i.card_key_id = k.id WHERE i.id = $1", order.ItemIds[0]));

    private Task<long> EventsAsync(BoughtOrder order) =>
        _kit.CountAsync("SELECT count(*) FROM activation_events e JOIN order_items i ON i.card_key_id = e.card_key_id WHERE i.id = $1", order.ItemIds[0]);

    private async Task<CardMall.Domain.Risk.ActivationEvent> StoredEventAsync(BoughtOrder order)
    {
        var keyId = await KeyIdAsync(order);
        return await _kit.QueryAsync(db => db.ActivationEvents.AsNoTracking().SingleAsync(e => e.CardKeyId == keyId));
    }

    private Task<long> NewDeviceNoticesAsync(Actor person) =>
        _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'NewDeviceSignIn'", person.UserId);

    private Task<string> DeviceCookieAsync(Actor person) =>
        _kit.ScalarAsync<string>("SELECT device_hash FROM user_devices WHERE user_id = $1 ORDER BY first_seen_at DESC, device_hash LIMIT 1", person.UserId);

    private async Task<JsonElement> OrderJsonAsync(BoughtOrder order)
    {
        var response = await shop.Factory.ApiClient(order.Account.ApiKey).GetAsync("/api/v1/orders/" + order.OrderNo);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<WebSession.Page> RedeemAsync(WebSession web, string code) =>
        web.SubmitAsync("/Redeem", "form[data-testid=redeem-form]", new Dictionary<string, string> { ["Input.Code"] = code });

    private static string Event(string code, string deviceId, DateTimeOffset at, string? ip = null, string result = "failed") =>
        JsonSerializer.Serialize(new { code, deviceId, ip, at = at.ToString("O"), result });

    private static string Sign(string secret, string json) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(json)));

    private Task<HttpResponseMessage> PostAsync(string supplier, string json) => PostAsync(supplier, json, Sign(Secret, json));

    private async Task<HttpResponseMessage> PostAsync(string supplier, string json, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/webhooks/suppliers/{supplier}/activations")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signature is not null) request.Headers.TryAddWithoutValidation("X-CardMall-Signature", signature);
        return await shop.Factory.CreateClient().SendAsync(request);
    }
}
