using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Contracts;

// ADR 0004: the public request below is handled by the Partners module, so behaviors (unit of work, authorization) must
// see it as the module's own. The literal equals PartnersModule.Name, which this contract assembly cannot reference.
[assembly: RetailModule("partners")]

namespace Retail.Modules.Partners.IntegrationEvents;

/// <summary>Read-only, for the operations dashboard: feed jobs under way now (queued, validating, processing) and paused for confirmation.</summary>
[AuthorizeRoles(Roles.Admin)]
public sealed record GetIngestActivity : IQuery<IngestActivityDto>;

public sealed record IngestActivityDto(int Running, int AwaitingConfirmation);
