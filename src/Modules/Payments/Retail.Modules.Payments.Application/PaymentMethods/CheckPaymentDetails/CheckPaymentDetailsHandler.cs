using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;

namespace Retail.Modules.Payments.Application.PaymentMethods.CheckPaymentDetails;

/// <summary>The same checks <c>ChargePayment</c>'s validator makes on the details, without a charge.</summary>
public sealed class CheckPaymentDetailsHandler(PaymentMethodRegistry methods)
    : IQueryHandler<IntegrationEvents.CheckPaymentDetails, IReadOnlyDictionary<string, string[]>>
{
    private static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>();

    public ValueTask<Result<IReadOnlyDictionary<string, string[]>>> Handle(IntegrationEvents.CheckPaymentDetails query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        // An unknown method is the caller's validation to answer (checkout offers only registered ones): nothing to add here.
        if (PaymentDetailsReader.GivenTwiceKeys(query.Details) is { Count: > 0 } twice)
        {
            return ValueTask.FromResult(Result.Success<IReadOnlyDictionary<string, string[]>>(
                twice.ToDictionary(k => k, _ => new[] { PaymentDetailsReader.GivenTwice }, StringComparer.Ordinal)));
        }

        var errors = methods.Find(query.Method) is { } method
            ? method.ValidateDetails(PaymentDetailsReader.CaseInsensitive(query.Details))
            : None;
        return ValueTask.FromResult(Result.Success(errors));
    }
}
