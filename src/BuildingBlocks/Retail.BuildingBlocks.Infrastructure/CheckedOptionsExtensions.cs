using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Retail.BuildingBlocks.Infrastructure;

public static class CheckedOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and checks it with <typeparamref name="TValidator"/>
    /// when the app starts: an out-of-range value stops the start with every failure named, instead of surfacing later
    /// as a failing job or request. The modules' own settings sections (Ordering, FlashSales, Returns, Partners, Payments'
    /// resilience pipeline) and the outbox's are registered this way.
    /// </summary>
    public static IServiceCollection AddCheckedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }
}
