using System.Reflection;
using Mediator;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Security;

namespace Retail.BuildingBlocks.Application.Behaviors;

/// <summary>
/// Checks <see cref="AuthorizeRolesAttribute"/> / <see cref="AuthenticatedAttribute"/> on the request, so a handler is
/// protected whether it is reached from a page, an API endpoint or a job.
/// </summary>
public sealed class AuthorizationBehavior<TMessage, TResponse>(ICurrentUser currentUser) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly AuthorizeRolesAttribute? RolesRequired = typeof(TMessage).GetCustomAttribute<AuthorizeRolesAttribute>();
    private static readonly bool AuthenticationRequired = RolesRequired is not null || typeof(TMessage).GetCustomAttribute<AuthenticatedAttribute>() is not null;

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (!AuthenticationRequired)
        {
            return next(message, cancellationToken);
        }

        if (!currentUser.IsAuthenticated)
        {
            return ValueTask.FromResult(Fail(Error.Unauthorized()));
        }

        if (RolesRequired is not null && !IsInAnyRole(RolesRequired.Roles))
        {
            return ValueTask.FromResult(Fail(Error.Forbidden()));
        }

        return next(message, cancellationToken);
    }

    private bool IsInAnyRole(IReadOnlyList<string> roles) =>
        currentUser.IsInRole(Roles.SuperAdmin) || currentUser.IsInRole(Roles.Admin) || roles.Any(currentUser.IsInRole);

    private static TResponse Fail(Error error) =>
        ResultFactory<TResponse>.IsResult
            ? ResultFactory<TResponse>.Failure(error)
            : throw new UnauthorizedAccessException(error.Message);
}
