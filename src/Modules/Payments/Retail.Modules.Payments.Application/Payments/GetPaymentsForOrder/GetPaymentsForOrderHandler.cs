using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Domain.Payments;
using Retail.Modules.Payments.IntegrationEvents;

namespace Retail.Modules.Payments.Application.Payments.GetPaymentsForOrder;

public sealed class GetPaymentsForOrderHandler(IPaymentsDbContext db) : IQueryHandler<IntegrationEvents.GetPaymentsForOrder, IReadOnlyList<OrderPaymentDto>>
{
    public async ValueTask<Result<IReadOnlyList<OrderPaymentDto>>> Handle(IntegrationEvents.GetPaymentsForOrder query, CancellationToken cancellationToken)
    {
        var orderId = query.OrderId;
        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.OrderId == orderId && p.Status == PaymentStatus.Succeeded)
            .ToListAsync(cancellationToken);
        return payments
            .OrderBy(p => p.CreatedAt)
            .ThenBy(p => p.Id)
            .Select(p => new OrderPaymentDto(p.Id, p.Method, p.Amount, p.RefundedAmount, p.RefundableAmount, p.Currency))
            .ToList();
    }
}
