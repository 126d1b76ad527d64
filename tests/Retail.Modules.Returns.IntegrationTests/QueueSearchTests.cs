using Retail.BuildingBlocks.Application;
using Retail.Modules.Returns.Application.Queues;

namespace Retail.Modules.Returns.IntegrationTests;

/// <summary>The staff queue's search by customer: emails and ids are found however staff type their case.</summary>
public sealed class QueueSearchTests
{
    [Fact]
    public async Task A_customers_email_or_id_typed_in_another_case_finds_their_return()
    {
        await using var host = await ReturnsTestHost.StartAsync();
        var sku = await host.CreateProductAsync(stock: 10);
        var customer = ReturnsTestHost.NewCustomer();
        var orderId = await host.DeliveredOrderAsync(customer, sku, 1);
        var code = (await host.SubmitAsync(customer, orderId, sku, 1)).Value.Code;

        foreach (var search in new[] { ReturnsTestHost.EmailOf(customer), ReturnsTestHost.EmailOf(customer).ToUpperInvariant(), " " + customer.ToUpperInvariant() + " " })
        {
            var queue = await host.SendAsAsync<Result<ReturnQueueResultDto>>(ReturnsTestHost.Support, new GetReturnQueueQuery("support", Search: search));
            queue.Value.Items.Items.Select(r => r.Code).ShouldBe([code], $"searching '{search}'");
        }

        var other = await host.SendAsAsync<Result<ReturnQueueResultDto>>(ReturnsTestHost.Support, new GetReturnQueueQuery("support", Search: "someone-else@example.test"));
        other.Value.Items.Items.ShouldBeEmpty();
    }
}
