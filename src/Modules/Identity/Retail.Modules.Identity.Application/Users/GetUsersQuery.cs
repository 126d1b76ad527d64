using FluentValidation;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Identity.Application.Abstractions;

namespace Retail.Modules.Identity.Application.Users;

/// <summary>The user list of the back office, searchable by email or name.</summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record GetUsersQuery(string? Search, int Page = 1, int PageSize = 50) : IQuery<PagedResult<UserSummaryDto>>;

public sealed class GetUsersQueryValidator : AbstractValidator<GetUsersQuery>
{
    public GetUsersQueryValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedResult<UserSummaryDto>.MaxPageSize);
        RuleFor(q => q.Search).MaximumLength(100);
    }
}

public sealed class GetUsersQueryHandler(IIdentityService identity) : IQueryHandler<GetUsersQuery, PagedResult<UserSummaryDto>>
{
    public async ValueTask<Result<PagedResult<UserSummaryDto>>> Handle(GetUsersQuery query, CancellationToken cancellationToken) =>
        await identity.ListUsersAsync(query.Search, query.Page, query.PageSize, cancellationToken);
}
