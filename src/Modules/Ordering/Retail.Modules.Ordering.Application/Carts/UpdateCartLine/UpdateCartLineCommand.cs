using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Ordering.Application.Abstractions;
using Retail.Modules.Ordering.Domain.Carts;

namespace Retail.Modules.Ordering.Application.Carts.UpdateCartLine;

/// <summary>Sets the quantity of a line already in the cart.</summary>
[Authenticated]
public sealed record UpdateCartLineCommand(string Sku, int Quantity) : ICommand;

public sealed class UpdateCartLineCommandValidator : AbstractValidator<UpdateCartLineCommand>
{
    public UpdateCartLineCommandValidator()
    {
        RuleFor(c => c.Sku).NotEmpty().MaximumLength(CartSkus.MaxLength);
        RuleFor(c => c.Quantity).InclusiveBetween(1, Cart.MaxQuantity).WithMessage($"Quantity must be between 1 and {Cart.MaxQuantity}.");
    }
}

public sealed class UpdateCartLineCommandHandler(IOrderingDbContext db, IRequestSender sender, ICurrentUser user, TimeProvider time) : ICommandHandler<UpdateCartLineCommand>
{
    public static Error NotInCart() => Error.NotFound("ordering.not_in_cart", "That product is not in your cart.");

    public async ValueTask<Result> Handle(UpdateCartLineCommand command, CancellationToken cancellationToken)
    {
        var customerId = user.UserId!;
        var cart = await db.Carts.Include(c => c.Lines).SingleOrDefaultAsync(c => c.CustomerId == customerId, cancellationToken);
        if (cart?.Find(command.Sku) is null)
        {
            return NotInCart();
        }

        if (await CartStock.CheckAsync(sender, CartSkus.Normalize(command.Sku), command.Quantity, cancellationToken) is { } error)
        {
            return error;
        }

        cart.SetQuantity(command.Sku, command.Quantity, time.GetUtcNow());
        return Result.Success();
    }
}
