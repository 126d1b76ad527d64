using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Retail.Host.FunctionalTests.Infrastructure;

namespace Retail.Host.FunctionalTests.Returns;

/// <summary>The returns JSON API over real HTTP: the table's role rules, 404 for strangers, 409 for illegal or stale moves, uploads.</summary>
public sealed class ReturnsApiTests(RetailAppFactory factory) : IClassFixture<RetailAppFactory>
{
    [Fact]
    public async Task A_full_refund_walk_over_the_api_by_each_team_in_turn()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 2, price: 25m);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 2);
        code.ShouldMatch("^RMA-[2-9A-HJ-NP-Z]{5}$");
        using var support = await factory.ApiClientAsync(Users.Support);
        using var warehouse = await factory.ApiClientAsync(Users.Warehouse);
        using var finance = await factory.ApiClientAsync(Users.Finance);

        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(support, code, "validate"), "validate");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(support, code, "approve"), "approve");
        await ReturnsApi.OkAsync(customer.PostAsJsonAsync($"/api/returns/{code}/ship", new { trackingNumber = "1Z999AA10123456784" }), "ship");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouse, code, "receive"), "receive");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouse, code, "start-inspection"), "start-inspection");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouse, code, "inspect", new { grade = "NEW", mismatch = "NONE", notes = "sealed" }), "inspect");
        var inspected = await ReturnsApi.DetailAsync(support, code);
        inspected.GetProperty("suggestedDisposition").GetString().ShouldBe("REFUND");
        var lineId = inspected.GetProperty("lines")[0].GetProperty("id").GetGuid();
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(support, code, "decide", new { dispositions = new[] { new { lineId, disposition = "REFUND" } } }), "decide");
        var processed = await ReturnsApi.StaffAsync(finance, code, "process");
        processed.StatusCode.ShouldBe(HttpStatusCode.OK, await processed.Content.ReadAsStringAsync());

        var done = await ReturnsApi.DetailAsync(customer, code);
        done.GetProperty("status").GetString().ShouldBe("COMPLETED");
        done.GetProperty("refundedAmount").GetDecimal().ShouldBe(50m);
        done.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("to").GetString())
            .ShouldBe(["SUBMITTED", "VALIDATING", "APPROVED", "SHIPPING", "RECEIVED", "INSPECTING", "INSPECTED", "DISPOSITION", "PROCESSING", "COMPLETED"]);
        done.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("role").GetString())
            .ShouldBe(["customer", "support", "support", "customer", "warehouse", "warehouse", "warehouse", "support", "finance", "system"]);
        (await ReturnsApi.DetailAsync(support, code)).GetProperty("timeline").EnumerateArray().ShouldAllBe(t => !string.IsNullOrEmpty(t.GetProperty("traceId").GetString()));
        var mine = await customer.GetFromJsonAsync<JsonElement>("/api/returns");
        mine.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("code").GetString() == code).GetProperty("status").GetString().ShouldBe("COMPLETED");
    }

    [Fact]
    public async Task The_customer_sees_which_team_acted_never_a_staff_email_trace_id_or_internal_reason()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 1);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);
        using var support = await factory.ApiClientAsync(Users.Support);
        using var warehouse = await factory.ApiClientAsync(Users.Warehouse);
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(support, code, "validate", new { reason = "customer flagged: 4th return this month" }), "validate");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(support, code, "approve"), "approve");
        await ReturnsApi.OkAsync(customer.PostAsJsonAsync($"/api/returns/{code}/ship", new { trackingNumber = "1Z999AA10123456784" }), "ship");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouse, code, "receive"), "receive");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouse, code, "start-inspection"), "start-inspection");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouse, code, "inspect", new { grade = "NEW", mismatch = "NONE", notes = "sealed box" }), "inspect");
        var lineId = (await ReturnsApi.DetailAsync(support, code)).GetProperty("lines")[0].GetProperty("id").GetGuid();
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(support, code, "decide", new
        {
            dispositions = new[] { new { lineId, disposition = "STORE_CREDIT", overrideReason = "serial returner, no cash back" } },
        }), "decide");

        var customerView = await customer.GetAsync($"/api/returns/{code}");
        var customerJson = await customerView.Content.ReadAsStringAsync();
        customerView.StatusCode.ShouldBe(HttpStatusCode.OK, customerJson);
        customerJson.ShouldNotContain(Users.Support, Case.Insensitive);
        customerJson.ShouldNotContain(Users.Warehouse, Case.Insensitive);
        customerJson.ShouldNotContain("4th return", Case.Insensitive, "a staff member's note on a step is internal");
        customerJson.ShouldNotContain("serial returner", Case.Insensitive, "an override reason is internal");
        var mine = await customerView.Content.ReadFromJsonAsync<JsonElement>();
        mine.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("actor").GetString())
            .ShouldBe(["You", "Support", "Support", "You", "Warehouse", "Warehouse", "Warehouse", "Support"]);
        mine.GetProperty("timeline").EnumerateArray().ShouldAllBe(t => t.GetProperty("traceId").ValueKind == JsonValueKind.Null);
        mine.GetProperty("timeline")[3].GetProperty("reason").GetString().ShouldBe("tracking 1Z999AA10123456784", "the customer's own input stays");
        mine.GetProperty("timeline")[6].GetProperty("reason").GetString()!.ShouldContain("sealed box", Case.Sensitive, "inspection notes are shown to the customer on the page too");
        mine.GetProperty("inspectionNotes").GetString().ShouldBe("sealed box");
        mine.GetProperty("lines")[0].GetProperty("overrideReason").ValueKind.ShouldBe(JsonValueKind.Null);

        var staffView = await ReturnsApi.DetailAsync(support, code);
        staffView.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("actor").GetString()).ShouldContain(Users.Support);
        staffView.GetProperty("timeline").EnumerateArray().ShouldAllBe(t => !string.IsNullOrEmpty(t.GetProperty("traceId").GetString()));
        staffView.GetProperty("timeline")[1].GetProperty("reason").GetString().ShouldBe("customer flagged: 4th return this month");
        staffView.GetProperty("lines")[0].GetProperty("overrideReason").GetString().ShouldBe("serial returner, no cash back");
        (await support.GetFromJsonAsync<JsonElement>($"/api/staff/returns/{code}")).GetProperty("timeline")[1].GetProperty("actor").GetString().ShouldBe(Users.Support);
    }

    [Fact]
    public async Task Wrong_role_is_403_illegal_move_is_409_with_the_reason_and_strangers_get_404()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 1);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);
        using var warehouse = await factory.ApiClientAsync(Users.Warehouse);
        using var stranger = await ReturnsApi.NewCustomerAsync(factory);

        var illegal = await ReturnsApi.StaffAsync(warehouse, code, "receive");
        illegal.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await illegal.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString().ShouldBe("A return that is SUBMITTED cannot be received; 'receive' is only possible from SHIPPING.");
        problem.GetProperty("code").GetString().ShouldBe("returns.illegal_transition");
        (await ReturnsApi.StaffAsync(warehouse, code, "approve")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.PostAsJsonAsync($"/api/staff/returns/{code}/approve", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "customers never reach staff routes");
        (await stranger.GetAsync($"/api/returns/{code}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsJsonAsync($"/api/returns/{code}/cancel", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/returns/eligibility/{orderId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await factory.AnonymousApi().GetAsync("/api/returns")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var unchanged = await ReturnsApi.DetailAsync(customer, code);
        unchanged.GetProperty("status").GetString().ShouldBe("SUBMITTED");
        unchanged.GetProperty("version").GetInt32().ShouldBe(1);
        unchanged.GetProperty("timeline").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Two_staff_at_once_one_wins_the_other_gets_409_reload()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 1);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);
        using var support = await factory.ApiClientAsync(Users.Support);
        var version = (await ReturnsApi.DetailAsync(support, code)).GetProperty("version").GetInt32();

        var answers = await Task.WhenAll(
            ReturnsApi.StaffAsync(support, code, "approve", new { version }),
            ReturnsApi.StaffAsync(support, code, "reject", new { version, reason = "duplicate" }));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        var loser = answers.Single(a => a.StatusCode != HttpStatusCode.OK);
        loser.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await loser.Content.ReadAsStringAsync()).ShouldContain("reload");
        (await ReturnsApi.DetailAsync(support, code)).GetProperty("timeline").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Two_inspectors_recording_different_received_counts_at_once_one_wins_the_other_gets_409_reload()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 3);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 3);
        using var support = await factory.ApiClientAsync(Users.Support);
        using var warehouse = await factory.ApiClientAsync(Users.Warehouse);
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(support, code, "approve"), "approve");
        await ReturnsApi.OkAsync(customer.PostAsJsonAsync($"/api/returns/{code}/ship", new { trackingNumber = "1Z999AA10123456784" }), "ship");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouse, code, "receive"), "receive");
        await ReturnsApi.OkAsync(ReturnsApi.StaffAsync(warehouse, code, "start-inspection"), "start-inspection");
        var seen = await ReturnsApi.DetailAsync(warehouse, code);
        var version = seen.GetProperty("version").GetInt32();
        var lineId = seen.GetProperty("lines")[0].GetProperty("id").GetGuid();

        var answers = await Task.WhenAll(
            ReturnsApi.StaffAsync(warehouse, code, "inspect", new { version, grade = "USED", mismatch = "SHORT", received = new[] { new { lineId, quantity = 1 } } }),
            ReturnsApi.StaffAsync(warehouse, code, "inspect", new { version, grade = "USED", mismatch = "SHORT", received = new[] { new { lineId, quantity = 2 } } }));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        var loser = answers.Single(a => a.StatusCode != HttpStatusCode.OK);
        loser.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await loser.Content.ReadAsStringAsync()).ShouldContain("reload");
        var after = await ReturnsApi.DetailAsync(warehouse, code);
        after.GetProperty("timeline").EnumerateArray().Count(t => t.GetProperty("action").GetString() == "inspect").ShouldBe(1);
        var winner = answers.Single(a => a.StatusCode == HttpStatusCode.OK) == answers[0] ? 1 : 2;
        after.GetProperty("lines")[0].GetProperty("received").GetInt32().ShouldBe(winner, "the winner's count, not a mix");
    }

    [Fact]
    public async Task Twenty_parallel_requests_over_http_never_exceed_what_was_bought()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 3);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ReturnsApi.SubmitAsync(customer, orderId, sku, 1)));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(3);
        answers.Where(a => a.StatusCode != HttpStatusCode.Created).ShouldAllBe(a => a.StatusCode == HttpStatusCode.Conflict || a.StatusCode == HttpStatusCode.UnprocessableEntity);
        var eligibility = await customer.GetFromJsonAsync<JsonElement>($"/api/returns/eligibility/{orderId}");
        eligibility.GetProperty("lines")[0].GetProperty("returnable").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Bad_submissions_are_400_or_422_with_clear_messages()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 1);

        var tooMany = await ReturnsApi.SubmitAsync(customer, orderId, sku, 2);
        tooMany.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await tooMany.Content.ReadAsStringAsync()).ShouldContain($"Only 1 of {sku} can be returned.");
        var badReason = await ReturnsApi.SubmitAsync(customer, orderId, sku, 1, reason: "BORED");
        badReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badReason.Content.ReadAsStringAsync()).ShouldContain("Choose a reason");
        var other = await customer.PostAsJsonAsync("/api/returns", new { orderId, items = new[] { new { sku, quantity = 1 } }, reason = "OTHER", preferredOutcome = "REFUND" });
        other.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await other.Content.ReadAsStringAsync()).ShouldContain("Tell us more");
        (await ReturnsApi.SubmitAsync(customer, Guid.NewGuid(), sku, 1)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Photo_uploads_check_content_size_and_count_strip_metadata_and_are_private()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 1);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);

        var fake = await ReturnsApi.UploadAsync(customer, code, "<?php echo 'not an image'; ?>"u8.ToArray(), "image/jpeg");
        fake.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await fake.Content.ReadAsStringAsync()).ShouldContain("The file is not a JPEG, PNG or WebP image.");
        var oversize = new byte[(5 * 1024 * 1024) + 1];
        ReturnsApi.Jpeg.CopyTo(oversize, 0);
        var big = await ReturnsApi.UploadAsync(customer, code, oversize);
        big.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await big.Content.ReadAsStringAsync()).ShouldContain("at most 5 MB");
        (await ReturnsApi.UploadAsync(customer, code, ReturnsApi.Jpeg, "multipart/form-data; boundary=x")).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);

        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var ok = await ReturnsApi.UploadAsync(customer, code, i % 2 == 0 ? ReturnsApi.Jpeg : ReturnsApi.Png, "application/octet-stream");
            ok.StatusCode.ShouldBe(HttpStatusCode.Created, await ok.Content.ReadAsStringAsync());
            ids.Add((await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        var sixth = await ReturnsApi.UploadAsync(customer, code, ReturnsApi.Jpeg);
        sixth.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await sixth.Content.ReadAsStringAsync()).ShouldContain("at most 5 photos");

        var stored = await customer.GetAsync($"/api/returns/{code}/photos/{ids[0]}");
        stored.StatusCode.ShouldBe(HttpStatusCode.OK);
        stored.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        var bytes = await stored.Content.ReadAsByteArrayAsync();
        System.Text.Encoding.ASCII.GetString(bytes).ShouldNotContain("GPS");
        System.Text.Encoding.ASCII.GetString(bytes).ShouldNotContain("secret");
        var png = await (await customer.GetAsync($"/api/returns/{code}/photos/{ids[1]}")).Content.ReadAsByteArrayAsync();
        System.Text.Encoding.ASCII.GetString(png).ShouldNotContain("Main St");
        using var stranger = await ReturnsApi.NewCustomerAsync(factory);
        (await stranger.GetAsync($"/api/returns/{code}/photos/{ids[0]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var warehouse = await factory.ApiClientAsync(Users.Warehouse);
        (await warehouse.GetAsync($"/api/returns/{code}/photos/{ids[0]}")).StatusCode.ShouldBe(HttpStatusCode.OK, "staff see photos");
        Directory.GetFiles(factory.Folder, "*.jpg", SearchOption.AllDirectories).ShouldNotBeEmpty("photos live in the app data folder, outside wwwroot");
        (await factory.AnonymousApi().GetAsync($"/return-photos/{ids[0]:N}.jpg")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_queues_count_filter_and_search()
    {
        using var customer = await ReturnsApi.NewCustomerAsync(factory);
        var (orderId, sku) = await ReturnsApi.DeliveredOrderAsync(factory, customer, quantity: 2);
        var code = await ReturnsApi.SubmitCodeAsync(customer, orderId, sku, 1);
        using var support = await factory.ApiClientAsync(Users.Support);

        var queue = await support.GetFromJsonAsync<JsonElement>($"/api/staff/returns?team=support&search={code}");
        queue.GetProperty("items").GetProperty("items").EnumerateArray().Single().GetProperty("code").GetString().ShouldBe(code);
        queue.GetProperty("counts").EnumerateArray().Single(c => c.GetProperty("status").GetString() == "SUBMITTED").GetProperty("count").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        using var warehouse = await factory.ApiClientAsync(Users.Warehouse);
        var warehouseQueue = await warehouse.GetFromJsonAsync<JsonElement>($"/api/staff/returns?team=warehouse&search={code}");
        warehouseQueue.GetProperty("items").GetProperty("totalCount").GetInt32().ShouldBe(0, "a SUBMITTED return is not the warehouse's");
        (await support.GetAsync("/api/staff/returns?team=marketing")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await support.GetAsync("/api/staff/returns/overview")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the overview is for the admin dashboard");
        using var admin = await factory.ApiClientAsync(Users.Admin);
        var overview = await admin.GetFromJsonAsync<JsonElement>("/api/staff/returns/overview");
        overview.GetProperty("byStatus").GetProperty("SUBMITTED").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
    }
}
