using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;

namespace Retail.Modules.Identity.IntegrationEvents;

/// <summary>
/// Creates a sign-in account with the role <c>partner</c> for a partner's staff (the Partners module links it to the
/// partner). Catalog admins only. Returns the new user id; an email already in use answers 409 <c>identity.email_taken</c>.
/// </summary>
[AuthorizeRoles(Roles.CatalogAdmin)]
public sealed record CreatePartnerUser(string Email, string Password, string DisplayName) : ICommand<string>;
