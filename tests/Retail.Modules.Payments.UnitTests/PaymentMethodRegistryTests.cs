using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Application.PaymentMethods;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.UnitTests;

public sealed class PaymentMethodRegistryTests
{
    [Fact]
    public void The_registry_lists_exactly_the_registered_methods_in_order()
    {
        var registry = new PaymentMethodRegistry([new FakeMethod("card"), new FakeMethod("paypal"), new FakeMethod("gift-card")]);

        registry.Codes.ShouldBe(["card", "paypal", "gift-card"]);
        registry.Find("GIFT-CARD")!.Code.ShouldBe("gift-card");
        registry.Find(" paypal ")!.Code.ShouldBe("paypal");
        registry.Find("bitcoin").ShouldBeNull();
        registry.Find(null).ShouldBeNull();
    }

    [Fact]
    public void Two_methods_cannot_share_a_code() =>
        Should.Throw<InvalidOperationException>(() => new PaymentMethodRegistry([new FakeMethod("card"), new FakeMethod("Card")]));

    private sealed class FakeMethod(string code) : IPaymentMethod
    {
        public string Code => code;

        public string DisplayName => code;

        public IReadOnlyList<PaymentDetailField> DetailFields => [];

        public IReadOnlyDictionary<string, string[]> ValidateDetails(IReadOnlyDictionary<string, string> details) => new Dictionary<string, string[]>();

        public Task<PaymentMethodResult> ChargeAsync(PaymentMethodCharge charge, CancellationToken cancellationToken) => Task.FromResult(PaymentMethodResult.Success("x"));

        public Task<PaymentMethodResult> RefundAsync(PaymentMethodRefund refund, CancellationToken cancellationToken) => Task.FromResult(PaymentMethodResult.Success("x"));
    }
}
