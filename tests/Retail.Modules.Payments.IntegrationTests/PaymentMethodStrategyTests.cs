using Microsoft.Extensions.DependencyInjection;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Infrastructure;
using Retail.Modules.Payments.Infrastructure.Gateway;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.IntegrationTests;

/// <summary>SPEC M2: a new payment method is one class plus its registration; checkout sees it and the pipeline covers it.</summary>
public sealed class PaymentMethodStrategyTests(PaymentsDatabase database) : IClassFixture<PaymentsDatabase>
{
    private static ChargePayment GiftCardCharge(decimal amount = 15m) =>
        new(Guid.NewGuid(), "customer-1", amount, "EUR", GiftCardPaymentMethod.MethodCode, PaymentsTestHost.NewKey(),
            new Dictionary<string, string> { [GiftCardPaymentMethod.CodeField] = "GIFT-1234-5678" });

    [Fact]
    public async Task The_built_in_methods_are_offered_with_their_detail_fields()
    {
        await using var host = await PaymentsTestHost.StartAsync(database);

        var methods = (await host.GetPaymentMethodsAsync()).Value;

        methods.Select(m => m.Code).ShouldBe(["card", "paypal", "crypto", "store-credit"]);
        methods.Single(m => m.Code == "card").DetailFields.Select(f => f.Name).ShouldBe(["cardNumber", "expiry"]);
        methods.Single(m => m.Code == "paypal").DetailFields.Select(f => f.Name).ShouldBe(["email"]);
        methods.Single(m => m.Code == "crypto").DetailFields.Select(f => f.Name).ShouldBe(["walletAddress"]);
        methods.Single(m => m.Code == "store-credit").DetailFields.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("paypal", "email", "buyer@example.com")]
    [InlineData("crypto", "walletAddress", "0x52908400098527886E0F7030069857D2E4169EE7")]
    public async Task PayPal_and_crypto_charge_through_the_gateway(string method, string field, string value)
    {
        await using var host = await PaymentsTestHost.StartAsync(database);
        var charge = new ChargePayment(Guid.NewGuid(), "customer-1", 9.99m, "EUR", method, PaymentsTestHost.NewKey(), new Dictionary<string, string> { [field] = value });

        (await host.ChargeAsync(charge)).Value.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        host.Gateway.MoneyMovementsFor(charge.IdempotencyKey).ShouldBe(1);

        var invalid = await host.ChargeAsync(charge with { IdempotencyKey = PaymentsTestHost.NewKey(), Details = new Dictionary<string, string> { [field] = "nope" } });
        invalid.Error!.FieldErrors.Keys.ShouldBe([$"Details.{field}"]);
    }

    [Fact]
    public async Task A_method_added_with_one_class_and_AddPaymentMethod_is_offered_and_charged()
    {
        await using var host = await PaymentsTestHost.StartAsync(database, services => services.AddPaymentMethod<GiftCardPaymentMethod>());

        var methods = (await host.GetPaymentMethodsAsync()).Value;
        var charge = GiftCardCharge();
        var result = (await host.ChargeAsync(charge)).Value;

        var giftCard = methods.Single(m => m.Code == GiftCardPaymentMethod.MethodCode);
        giftCard.DisplayName.ShouldBe("Gift card");
        giftCard.DetailFields.ShouldHaveSingleItem().Name.ShouldBe(GiftCardPaymentMethod.CodeField);
        methods.Count.ShouldBe(5);
        result.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        host.Gateway.MoneyMovementsFor(charge.IdempotencyKey).ShouldBe(1);
        (await host.ChargeAsync(GiftCardCharge() with { Details = new Dictionary<string, string>() })).Error!.FieldErrors.Keys.ShouldBe(["Details.giftCardCode"]);
        (await host.ChargeAsync(GiftCardCharge() with { Method = "cheque" })).Error!.FieldErrors["Method"]
            .ShouldBe([$"Choose one of the payment methods: {string.Join(", ", methods.Select(m => m.Code))}."]);
    }

    [Fact]
    public async Task The_new_method_gets_the_same_retries_and_breaker_as_the_built_in_ones()
    {
        await using var host = await PaymentsTestHost.StartAsync(database, services => services.AddPaymentMethod<GiftCardPaymentMethod>());
        host.SetGateway(s => s with { Outage = true });
        var giftCard = GiftCardCharge();

        (await host.ChargeAsync(giftCard)).Value.Outcome.ShouldBe(PaymentOutcome.Unavailable);

        host.Gateway.CallsFor(giftCard.IdempotencyKey).ShouldBe(3, "retried until its failures opened the breaker");
        host.Circuit.Snapshot().State.ShouldBe(CircuitStatus.Open);
        var card = PaymentsTestHost.CardCharge();
        (await host.ChargeAsync(card)).Value.Outcome.ShouldBe(PaymentOutcome.Unavailable);
        host.Gateway.CallsFor(card.IdempotencyKey).ShouldBe(0, "one breaker for every method");

        host.SetGateway(s => s with { Outage = false });
        host.Time.Advance(TimeSpan.FromSeconds(30));
        (await host.ChargeAsync(giftCard)).Value.Outcome.ShouldBe(PaymentOutcome.Succeeded);
        host.Circuit.Snapshot().State.ShouldBe(CircuitStatus.Closed);
    }

    /// <summary>The whole of "adding a payment method": this class and <c>services.AddPaymentMethod&lt;GiftCardPaymentMethod&gt;()</c>.</summary>
    internal sealed class GiftCardPaymentMethod(IPaymentGateway gateway) : IPaymentMethod
    {
        public const string MethodCode = "gift-card";
        public const string CodeField = "giftCardCode";

        public string Code => MethodCode;

        public string DisplayName => "Gift card";

        public IReadOnlyList<PaymentDetailField> DetailFields { get; } = [new(CodeField, "Gift card code", "GIFT-0000-0000")];

        public IReadOnlyDictionary<string, string[]> ValidateDetails(IReadOnlyDictionary<string, string> details) =>
            details.TryGetValue(CodeField, out var code) && code.StartsWith("GIFT-", StringComparison.Ordinal)
                ? new Dictionary<string, string[]>()
                : new Dictionary<string, string[]> { [CodeField] = ["Enter the code printed on the gift card."] };

        public async Task<PaymentMethodResult> ChargeAsync(PaymentMethodCharge charge, CancellationToken cancellationToken) =>
            (await gateway.ChargeAsync(new GatewayCharge(charge.IdempotencyKey, Code, charge.Amount, charge.Currency, charge.Details[CodeField]), cancellationToken)).ToMethodResult();

        public async Task<PaymentMethodResult> RefundAsync(PaymentMethodRefund refund, CancellationToken cancellationToken) =>
            (await gateway.RefundAsync(new GatewayRefund(refund.IdempotencyKey, refund.ProviderReference ?? "", refund.Amount, refund.Currency), cancellationToken)).ToMethodResult();
    }
}
