using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Application.StoreCredit.GetStoreCreditBalance;

public sealed class GetStoreCreditBalanceHandler(StoreCreditLedger ledger) : IQueryHandler<IntegrationEvents.GetStoreCreditBalance, StoreCreditBalanceDto>
{
    public async ValueTask<Result<StoreCreditBalanceDto>> Handle(IntegrationEvents.GetStoreCreditBalance query, CancellationToken cancellationToken)
    {
        var customerId = (query.CustomerId ?? "").Trim();
        return new StoreCreditBalanceDto(customerId, await ledger.BalanceOfAsync(customerId, cancellationToken));
    }
}
