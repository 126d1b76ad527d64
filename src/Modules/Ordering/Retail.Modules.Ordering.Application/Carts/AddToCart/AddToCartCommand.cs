using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Domain.Carts;

namespace Retail.Modules.Ordering.Application.Carts.AddToCart;

/// <summary>Adds units of a product to the signed-in customer's cart; returns the line's quantity afterwards.</summary>
[Authenticated]
public sealed record AddToCartCommand(string Sku, int Quantity) : ICommand<int>;

public sealed class AddToCartCommandValidator : AbstractValidator<AddToCartCommand>
{
    public AddToCartCommandValidator()
    {
        RuleFor(c => c.Sku).NotEmpty().MaximumLength(CartSkus.MaxLength);
        RuleFor(c => c.Quantity).InclusiveBetween(1, Cart.MaxQuantity).WithMessage($"Quantity must be between 1 and {Cart.MaxQuantity}.");
    }
}

public sealed class AddToCartCommandHandler(IOrderingDbContext db, IRequestSender sender, ICurrentUser user, TimeProvider time) : ICommandHandler<AddToCartCommand, int>
{
    public static Error TooMany() => Error.Unprocessable("ordering.cart_limit", $"A cart holds at most {Cart.MaxLines} products and {Cart.MaxQuantity} of each.");

    public async ValueTask<Result<int>> Handle(AddToCartCommand command, CancellationToken cancellationToken)
    {
        var customerId = user.UserId!;
        var now = time.GetUtcNow();
        var cart = await db.Carts.Include(c => c.Lines).SingleOrDefaultAsync(c => c.CustomerId == customerId, cancellationToken);
        if (cart is null)
        {
            cart = Cart.For(customerId, now);
            db.Carts.Add(cart);
        }

        var wanted = (cart.Find(command.Sku)?.Quantity ?? 0) + command.Quantity;
        if (wanted > Cart.MaxQuantity || (cart.Find(command.Sku) is null && cart.Lines.Count >= Cart.MaxLines))
        {
            return TooMany();
        }

        if (await CartStock.CheckAsync(sender, CartSkus.Normalize(command.Sku), wanted, cancellationToken) is { } error)
        {
            return error;
        }

        return cart.Add(command.Sku, command.Quantity, now);
    }
}
