using FluentValidation;
using Mediator;

namespace Retail.BuildingBlocks.Application.Behaviors;

/// <summary>
/// Runs every FluentValidation validator of the request, with the request's services at hand for rules that need them
/// (<see cref="ValidationServices"/>); failures become a validation <see cref="Error"/> with field errors.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators, IServiceProvider services) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(new ValidationContext<TMessage>(message).WithRequestServices(services), cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count == 0)
        {
            return await next(message, cancellationToken);
        }

        if (!ResultFactory<TResponse>.IsResult)
        {
            throw new ValidationException(failures);
        }

        var fieldErrors = failures
            .GroupBy(f => f.PropertyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        return ResultFactory<TResponse>.Failure(Error.Validation(fieldErrors));
    }
}
