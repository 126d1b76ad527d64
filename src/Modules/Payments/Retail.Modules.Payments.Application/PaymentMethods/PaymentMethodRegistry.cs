using Retail.Modules.Payments.Application.Abstractions;

namespace Retail.Modules.Payments.Application.PaymentMethods;

/// <summary>
/// Every registered <see cref="IPaymentMethod"/>, by code, in registration order. Checkout offers whatever is here, so
/// a new method appears by being registered, with no change to this class or its callers.
/// </summary>
public sealed class PaymentMethodRegistry
{
    private readonly IReadOnlyList<IPaymentMethod> _methods;
    private readonly Dictionary<string, IPaymentMethod> _byCode;

    public PaymentMethodRegistry(IEnumerable<IPaymentMethod> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        _methods = [.. methods];
        _byCode = new Dictionary<string, IPaymentMethod>(StringComparer.OrdinalIgnoreCase);
        foreach (var method in _methods)
        {
            if (!_byCode.TryAdd(method.Code, method))
            {
                throw new InvalidOperationException($"Two payment methods share the code '{method.Code}'.");
            }
        }
    }

    public IReadOnlyList<IPaymentMethod> All => _methods;

    public IEnumerable<string> Codes => _methods.Select(m => m.Code);

    public IPaymentMethod? Find(string? code) =>
        code is not null && _byCode.TryGetValue(code.Trim(), out var method) ? method : null;
}
