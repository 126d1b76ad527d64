using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Retail.BuildingBlocks.Infrastructure;
using Retail.BuildingBlocks.Infrastructure.Outbox;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Ordering.Application;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Application.Orders.Notifications;
using Retail.Modules.Ordering.Application.Orders.Payments;
using Retail.Modules.Ordering.Application.Orders.PlaceOrder;
using Retail.Modules.Ordering.Application.Orders.RetryPendingPayments;
using Retail.Modules.Ordering.Infrastructure.Jobs;
using Retail.Modules.Ordering.Infrastructure.Persistence;
using Retail.Modules.Ordering.Infrastructure.Services;
using Retail.Modules.Ordering.IntegrationEvents;
using Retail.Modules.Ordering.Application.Orders.Replacements;
using Retail.Modules.Returns.IntegrationEvents;

namespace Retail.Modules.Ordering.Infrastructure;

public static class OrderingModuleExtensions
{
    /// <summary>
    /// Registers the Ordering module: its database, validators, the checkout rate limit and idempotency, protected payment
    /// details, the <c>ordering-payment-retry</c> job and the order confirmation/cancellation emails. Configuration: <c>Ordering:CheckoutRateLimit:{PermitLimit,Window}</c>, <c>Ordering:CheckoutGate:{PermitLimit,QueueLimit,QueueTimeout}</c>,
    /// <c>Ordering:PaymentDeadline</c>, <c>Ordering:PaymentRetryCron</c>, <c>Ordering:Currency</c>.
    /// </summary>
    public static IServiceCollection AddOrderingModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase<OrderingDbContext, OrderingSqliteDbContext, OrderingSqlServerDbContext>(configuration, OrderingModule.Name);
        services.AddScoped<IOrderingDbContext>(sp => sp.GetRequiredService<OrderingDbContext>());
        services.AddScoped<IOrderingUnitOfWork, OrderingUnitOfWork>();
        services.AddModuleValidators(typeof(OrderingModule));
        services.AddCheckedOptions<OrderingOptions, OrderingOptionsValidator>(configuration.GetSection("Ordering"));

        services.AddDataProtection();
        services.AddScoped<ICheckoutRateLimiter, CheckoutRateLimiter>();
        services.AddSingleton<ICheckoutGate, CheckoutGate>();
        services.AddSingleton<ICheckoutTurns, CheckoutTurns>();
        services.AddMetrics();
        services.AddSingleton<CheckoutMetrics>();
        services.AddScoped<ICheckoutIdempotency, CheckoutIdempotency>();
        services.AddSingleton<CheckoutKeyLookups>();
        services.AddSingleton<IPaymentDetailsProtector, DataProtectionPaymentDetailsProtector>();
        services.AddScoped<OrderPaymentProcessor>();
        services.AddScoped<PendingPaymentSweep>();
        services.AddScoped<PaymentRetryJob>();
        services.AddScoped<InterruptedCheckoutRecovery>();
        services.AddScoped<InterruptedCheckoutJob>();
        services.AddHostedService<OrderingRecurringJobs>();

        // Customer emails (IEmailSender comes from the platform: SMTP or the pickup folder).
        services.AddIntegrationEventHandler<OrderPaid, SendOrderConfirmationHandler>();
        services.AddIntegrationEventHandler<OrderCancelled, SendOrderConfirmationHandler>();

        // Returns: a REPLACEMENT disposition becomes one zero-price order.
        services.AddIntegrationEventHandler<ReplacementRequested, CreateReplacementOrderHandler>();
        return services;
    }
}
