using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retail.BuildingBlocks.Infrastructure;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Payments.Application;
using Retail.Modules.Payments.Application.Abstractions;
using Retail.Modules.Payments.Application.PaymentMethods;
using Retail.Modules.Payments.Application.Refunds;
using Retail.Modules.Payments.Application.Refunds.SweepPendingRefunds;
using Retail.Modules.Payments.Application.StoreCredit;
using Retail.Modules.Payments.Infrastructure.Gateway;
using Retail.Modules.Payments.Infrastructure.Jobs;
using Retail.Modules.Payments.Infrastructure.Methods;
using Retail.Modules.Payments.Infrastructure.Persistence;
using Retail.Modules.Payments.Infrastructure.Resilience;

namespace Retail.Modules.Payments.Infrastructure;

public static class PaymentsModuleExtensions
{
    /// <summary>
    /// Registers the Payments module: its database, validators, the simulated gateway, the four built-in payment methods,
    /// the <c>payments</c> resilience pipeline with its breaker state and metrics, and the refund sweep job.
    /// Configuration: <c>Payments:Simulator</c>, <c>Payments:Resilience</c>, <c>Payments:RefundSweepCron</c>.
    /// </summary>
    public static IServiceCollection AddPaymentsModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase<PaymentsDbContext, PaymentsSqliteDbContext, PaymentsSqlServerDbContext>(configuration, PaymentsModule.Name);
        services.AddScoped<IPaymentsDbContext>(sp => sp.GetRequiredService<PaymentsDbContext>());
        services.AddScoped<IPaymentsUnitOfWork, PaymentsUnitOfWork>();
        services.AddModuleValidators(typeof(PaymentsModule));

        services.Configure<PaymentsOptions>(configuration.GetSection("Payments"));
        services.AddCheckedOptions<PaymentsResilienceOptions, PaymentsResilienceOptionsValidator>(configuration.GetSection("Payments:Resilience"));
        services.Configure<SimulatorSettings>(configuration.GetSection("Payments:Simulator"));

        services.TryAddSingleton<IRandomSource, SystemRandomSource>();
        services.AddSingleton<PaymentGatewaySimulator>();
        services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<PaymentGatewaySimulator>());
        services.AddSingleton<IPaymentGatewaySimulatorControl>(sp => sp.GetRequiredService<PaymentGatewaySimulator>());

        services.AddMetrics();
        services.AddSingleton<PaymentsMetrics>();
        services.AddSingleton<PaymentCircuitState>();
        services.AddSingleton<IPaymentCircuitMonitor>(sp => sp.GetRequiredService<PaymentCircuitState>());
        services.AddHostedService<PaymentsTelemetryStartup>();
        services.AddPaymentsPipeline();
        services.AddSingleton<IResilientPaymentExecutor, ResilientPaymentExecutor>();

        services.AddScoped<PaymentMethodRegistry>();
        services.AddPaymentMethod<CardPaymentMethod>();
        services.AddPaymentMethod<PayPalPaymentMethod>();
        services.AddPaymentMethod<CryptoPaymentMethod>();
        services.AddPaymentMethod<StoreCreditPaymentMethod>();

        services.AddScoped<StoreCreditLedger>();
        services.AddScoped<RefundAttempts>();
        services.AddScoped<PendingRefundSweep>();
        services.AddScoped<RefundSweepJob>();
        services.AddHostedService<PaymentsRecurringJobs>();
        return services;
    }

    /// <summary>
    /// Offers one more payment method at checkout (SPEC M2): the registry lists it and the same pipeline (retry, breaker,
    /// timeouts) runs its charges and refunds. Scoped, so a method may use the module's database context.
    /// </summary>
    public static IServiceCollection AddPaymentMethod<TMethod>(this IServiceCollection services)
        where TMethod : class, IPaymentMethod
    {
        services.AddScoped<IPaymentMethod, TMethod>();
        return services;
    }
}
