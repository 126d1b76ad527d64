using FluentValidation;
using Retail.BuildingBlocks.Application.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Returns.GetEligibility;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.Application.Returns.Submit;

public sealed record ReturnItemInput(string Sku, int Quantity);

/// <summary>Customer: start a return from one of their delivered orders.</summary>
/// <param name="Reason">DEFECTIVE, WRONG_ITEM, NOT_AS_DESCRIBED, CHANGED_MIND or OTHER (OTHER needs a note).</param>
/// <param name="PreferredOutcome">REFUND, REPLACEMENT, REPAIR or STORE_CREDIT.</param>
[Authenticated]
public sealed record SubmitReturnCommand(Guid OrderId, IReadOnlyList<ReturnItemInput> Items, string Reason, string? Note, string PreferredOutcome) : ICommand<SubmittedReturnDto>;

public sealed record SubmittedReturnDto(Guid Id, string Code, string Status);

public sealed class SubmitReturnCommandValidator : AbstractValidator<SubmitReturnCommand>
{
    public SubmitReturnCommandValidator()
    {
        RuleFor(c => c.OrderId).NotEmpty();
        RuleFor(c => c.Items).NotNull().Must(i => i is { Count: >= 1 and <= Return.MaxLines }).WithMessage("Choose at least one item to return.");
        // Child rules skip null entries, which the handler would then dereference: a 500 instead of a 400.
        RuleForEach(c => c.Items).NotNull().WithMessage("Each item needs a SKU and a quantity.");
        RuleForEach(c => c.Items).ChildRules(item =>
        {
            item.RuleFor(i => i.Sku).NotEmpty().MaximumLength(64);
            item.RuleFor(i => i.Quantity).InclusiveBetween(1, 99);
        });
        RuleFor(c => c.Reason).Must(r => EnumCodes.Parse<ReturnReason>(r) is not null)
            .WithMessage("Choose a reason: defective, wrong item, not as described, changed mind or other.");
        RuleFor(c => c.PreferredOutcome).Must(p => EnumCodes.Parse<Disposition>(p) is { } d && d != Disposition.Reject)
            .WithMessage("Choose refund, replacement, repair or store credit.");
        RuleFor(c => c.Note).MaximumLength(Return.MaxNoteLength);
        RuleFor(c => c.Note).NotEmpty().When(c => EnumCodes.Parse<ReturnReason>(c.Reason) == ReturnReason.Other)
            .WithMessage("Tell us more when the reason is 'other'.");
    }
}

/// <summary>
/// Checks eligibility line by line, then takes the quantities with one conditional UPDATE per line
/// (<c>Taken = Taken + n WHERE Taken + n &lt;= Quantity</c>) inside the command's transaction, so parallel requests can
/// never take more than was bought; any line that loses the race rolls the whole return back.
/// </summary>
public sealed class SubmitReturnCommandHandler(
    IReturnsDbContext db,
    ReturnViewer viewer,
    ICurrentUser user,
    IReturnCodeRandom random,
    IFeatureToggles features,
    IOptions<ReturnsOptions> options,
    TimeProvider time,
    ILogger<SubmitReturnCommandHandler> logger) : ICommandHandler<SubmitReturnCommand, SubmittedReturnDto>
{
    public async ValueTask<Result<SubmittedReturnDto>> Handle(SubmitReturnCommand command, CancellationToken cancellationToken)
    {
        // SPEC M4: while an admin has returns switched off, no new return starts; those under way keep moving.
        if (features.Find(Features.Returns) is { } toggle && !await toggle.IsEnabledAsync(cancellationToken))
        {
            return FeatureToggles.Unavailable(toggle.DisplayName);
        }

        var userId = viewer.UserId;
        var order = await db.PurchasedOrders.AsNoTracking().Include(o => o.Lines)
            .SingleOrDefaultAsync(o => o.Id == command.OrderId && o.CustomerId == userId, cancellationToken);
        if (order is null || order.Lines.Count == 0)
        {
            return ReturnErrors.OrderNotFound();
        }

        var now = time.GetUtcNow();
        var eligibility = GetReturnEligibilityQueryHandler.Evaluate(order, options.Value, now);
        if (ReturnEligibility.OrderProblem(order.DeliveredAt, now, options.Value.ReturnWindow) is { } problem)
        {
            return Error.Unprocessable("returns.not_eligible", problem);
        }

        var items = command.Items
            .GroupBy(i => i.Sku.Trim().ToUpperInvariant(), StringComparer.Ordinal)
            .Select(g => (Sku: g.Key, Quantity: g.Sum(i => i.Quantity)))
            .ToList();
        var fieldErrors = new Dictionary<string, string[]>();
        foreach (var (sku, quantity) in items)
        {
            var line = eligibility.Lines.FirstOrDefault(l => l.Sku == sku);
            var message = line is null ? $"{sku} is not on this order."
                : ReturnEligibility.QuantityProblem(new LineEligibility(line.Sku, line.Name, line.Bought, line.AlreadyTaken, line.Returnable, line.Eligible, line.Explanation), quantity);
            if (message is not null)
            {
                fieldErrors[sku] = [message];
            }
        }

        if (fieldErrors.Count > 0)
        {
            return Error.Unprocessable("returns.not_eligible", fieldErrors.Values.First()[0]) with { FieldErrors = fieldErrors };
        }

        var lines = new List<ReturnLine>();
        foreach (var (sku, quantity) in items)
        {
            var purchased = order.Lines.Single(l => l.Sku == sku);
            var lineId = purchased.Id;
            var taken = await db.PurchasedLines
                .Where(l => l.Id == lineId && l.Taken + quantity <= l.Quantity)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Taken, l => l.Taken + quantity), cancellationToken);
            if (taken == 0)
            {
                return Error.Conflict("returns.quantity_taken", $"Only part of {sku} can still be returned: another return took the rest meanwhile. Please reload.");
            }

            lines.Add(ReturnLine.Create(sku, purchased.Name, purchased.UnitPrice, quantity));
        }

        var code = await NewCodeAsync(cancellationToken);
        var entity = Return.Submit(
            Guid.NewGuid(),
            code,
            userId,
            user.UserName,
            order.Id,
            order.Number,
            string.IsNullOrEmpty(order.Currency) ? "USD" : order.Currency,
            EnumCodes.Parse<ReturnReason>(command.Reason)!.Value,
            command.Note,
            EnumCodes.Parse<Disposition>(command.PreferredOutcome)!.Value,
            lines,
            viewer.Actor(ReturnRoles.Customer),
            now);
        db.Returns.Add(entity);
        logger.LogInformation("Return {ReturnCode} submitted for order {OrderNumber} by {UserId}: {Units} units", code, order.Number, userId, lines.Sum(l => l.Quantity));
        return new SubmittedReturnDto(entity.Id, code, entity.Status.ToCode());
    }

    private async Task<string> NewCodeAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var code = ReturnCodes.New(random.Next);
            if (!await db.Returns.AnyAsync(r => r.Code == code, cancellationToken))
            {
                return code;
            }
        }

        throw new InvalidOperationException("Could not find a free return code after 20 attempts.");
    }
}
