using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Application.PaymentMethods.GetPaymentMethods;

public sealed class GetPaymentMethodsHandler(PaymentMethodRegistry methods) : IQueryHandler<IntegrationEvents.GetPaymentMethods, IReadOnlyList<PaymentMethodDto>>
{
    public ValueTask<Result<IReadOnlyList<PaymentMethodDto>>> Handle(IntegrationEvents.GetPaymentMethods query, CancellationToken cancellationToken)
    {
        IReadOnlyList<PaymentMethodDto> list = [.. methods.All.Select(m => new PaymentMethodDto(m.Code, m.DisplayName, m.DetailFields))];
        return ValueTask.FromResult(Result.Success(list));
    }
}
