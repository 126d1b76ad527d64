using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Ordering.Application.Abstractions;

namespace Retail.Modules.Ordering.Application.Carts.RemoveCartLine;

/// <summary>Removes a product from the cart (no error when it was not there).</summary>
[Authenticated]
public sealed record RemoveCartLineCommand(string Sku) : ICommand;

public sealed class RemoveCartLineCommandValidator : AbstractValidator<RemoveCartLineCommand>
{
    public RemoveCartLineCommandValidator() => RuleFor(c => c.Sku).NotEmpty();
}

public sealed class RemoveCartLineCommandHandler(IOrderingDbContext db, ICurrentUser user, TimeProvider time) : ICommandHandler<RemoveCartLineCommand>
{
    public async ValueTask<Result> Handle(RemoveCartLineCommand command, CancellationToken cancellationToken)
    {
        var customerId = user.UserId!;
        var cart = await db.Carts.Include(c => c.Lines).SingleOrDefaultAsync(c => c.CustomerId == customerId, cancellationToken);
        cart?.Remove(command.Sku, time.GetUtcNow());
        return Result.Success();
    }
}
