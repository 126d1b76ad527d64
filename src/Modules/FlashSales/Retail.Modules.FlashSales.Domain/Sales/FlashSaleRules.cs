using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.FlashSales.Domain.Sales;

public sealed class SaleNameMustBePresentRule(string name) : IBusinessRule
{
    public bool IsBroken() => string.IsNullOrWhiteSpace(name) || name.Trim().Length > FlashSale.MaxNameLength;

    public string Message => $"A sale needs a name of 1–{FlashSale.MaxNameLength} characters.";
}

public sealed class SaleWindowMustBeValidRule(DateTimeOffset startsAt, DateTimeOffset endsAt) : IBusinessRule
{
    public bool IsBroken() => endsAt <= startsAt || endsAt - startsAt > FlashSale.MaxDuration;

    public string Message => $"A sale ends after it starts and lasts at most {FlashSale.MaxDuration.TotalDays:0} days.";
}

public sealed class SaleMustOfferDistinctProductsRule(IReadOnlyList<FlashSaleItemSpec> items) : IBusinessRule
{
    public bool IsBroken() =>
        items.Count is 0 or > FlashSale.MaxItems
        || items.Select(i => FlashSkus.Normalize(i.Sku)).Distinct(StringComparer.Ordinal).Count() != items.Count;

    public string Message => $"A sale offers 1–{FlashSale.MaxItems} products, each once.";
}

public sealed class FlashPriceRuleMustBeValidRule(FlashPrice price) : IBusinessRule
{
    public bool IsBroken() =>
        (price.FixedPrice is null) == (price.PercentOff is null)
        || price.FixedPrice is < 0m
        || price.PercentOff is < 1 or > 99;

    public string Message => "Give either a flash price (0 or more) or a percentage off between 1 and 99.";
}

public sealed class AllocationAndCapMustBeValidRule(int allocation, int perCustomerCap) : IBusinessRule
{
    public const int MaxAllocation = 1_000_000;

    public bool IsBroken() => allocation is < 1 or > MaxAllocation || perCustomerCap < 1 || perCustomerCap > allocation;

    public string Message => $"The allocation is 1–{MaxAllocation:N0} units and the per-customer cap is between 1 and the allocation.";
}

public sealed class SoldUnitsMustStayCoveredRule(IReadOnlyList<FlashSaleItemSpec> items, IReadOnlyDictionary<string, int> soldBySku) : IBusinessRule
{
    public bool IsBroken() => soldBySku.Any(s => s.Value > 0 && !items.Any(i => FlashSkus.Normalize(i.Sku) == s.Key && i.Allocation >= s.Value));

    public string Message => "A product that already sold units stays in the sale with an allocation of at least what it sold.";
}
