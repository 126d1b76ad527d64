using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Ordering.Domain.Carts;

/// <summary>A signed-in customer's cart: SKUs and quantities only (prices come from Catalog at checkout time).</summary>
public sealed class Cart : AggregateRoot<Guid>
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 99;

    private readonly List<CartLine> _lines = [];

    private Cart()
    {
    }

    public string CustomerId { get; private set; } = "";

    public IReadOnlyList<CartLine> Lines => _lines;

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Cart For(string customerId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), CustomerId = customerId, UpdatedAt = now };

    /// <summary>Adds units of a SKU (merging with a line already there); returns the line's quantity afterwards.</summary>
    public int Add(string sku, int quantity, DateTimeOffset now)
    {
        var normalized = CartSkus.Normalize(sku);
        var line = _lines.SingleOrDefault(l => l.Sku == normalized);
        if (line is null)
        {
            CheckRule(new CartLineQuantityMustBeInRangeRule(quantity));
            CheckRule(new CartCannotHaveMoreThanMaxLinesRule(_lines.Count + 1));
            _lines.Add(CartLine.Create(Id, normalized, quantity));
            UpdatedAt = now;
            return quantity;
        }

        CheckRule(new CartLineQuantityMustBeInRangeRule(quantity));
        CheckRule(new CartLineQuantityMustBeInRangeRule(line.Quantity + quantity));
        line.SetQuantity(line.Quantity + quantity);
        UpdatedAt = now;
        return line.Quantity;
    }

    public void SetQuantity(string sku, int quantity, DateTimeOffset now)
    {
        CheckRule(new CartLineQuantityMustBeInRangeRule(quantity));
        var line = Find(sku) ?? throw new BusinessRuleValidationException(new CartMustContainLineRule(false));
        line.SetQuantity(quantity);
        UpdatedAt = now;
    }

    public bool Remove(string sku, DateTimeOffset now)
    {
        var line = Find(sku);
        if (line is null)
        {
            return false;
        }

        _lines.Remove(line);
        UpdatedAt = now;
        return true;
    }

    public void Clear(DateTimeOffset now)
    {
        _lines.Clear();
        UpdatedAt = now;
    }

    public CartLine? Find(string sku)
    {
        var normalized = CartSkus.Normalize(sku);
        return _lines.SingleOrDefault(l => l.Sku == normalized);
    }
}

public sealed class CartLine : Entity<Guid>
{
    private CartLine()
    {
    }

    public Guid CartId { get; private set; }

    public string Sku { get; private set; } = "";

    public int Quantity { get; private set; }

    internal static CartLine Create(Guid cartId, string sku, int quantity) =>
        new() { Id = Guid.NewGuid(), CartId = cartId, Sku = sku, Quantity = quantity };

    internal void SetQuantity(int quantity) => Quantity = quantity;
}

/// <summary>SKUs compare case-insensitively, stored upper-case (as Catalog stores them).</summary>
public static class CartSkus
{
    public const int MaxLength = 40;

    public static string Normalize(string sku) => (sku ?? "").Trim().ToUpperInvariant();
}

public sealed class CartLineQuantityMustBeInRangeRule(int quantity) : IBusinessRule
{
    public bool IsBroken() => quantity is < 1 or > Cart.MaxQuantity;

    public string Message => $"Quantity must be between 1 and {Cart.MaxQuantity}.";
}

public sealed class CartCannotHaveMoreThanMaxLinesRule(int lines) : IBusinessRule
{
    public bool IsBroken() => lines > Cart.MaxLines;

    public string Message => $"A cart holds at most {Cart.MaxLines} different products.";
}

public sealed class CartMustContainLineRule(bool contains) : IBusinessRule
{
    public bool IsBroken() => !contains;

    public string Message => "That product is not in the cart.";
}
