using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Abstractions;
using Retail.BuildingBlocks.Application.Features;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Infrastructure.Web;

namespace Retail.BuildingBlocks.Infrastructure.Features;

/// <summary>Body of <c>PUT /api/admin/features/{name}</c>.</summary>
/// <param name="Enabled">
/// Nullable on purpose: with a plain bool a body without it (<c>{}</c>, a misspelt <c>"enable"</c>) bound to false and
/// switched the feature off. A missing value is refused instead, like the features page does.
/// </param>
public sealed record FeatureSwitchRequest(bool? Enabled);

public static class FeatureToggleEndpoints
{
    /// <summary>SPEC M4 for operators: list the run-time switches and flip one (admins only).</summary>
    public static IEndpointRouteBuilder MapFeatureToggleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/admin/features").WithTags("Features").RequireAuthorization(Roles.Admin);

        api.MapGet("", async (IFeatureToggles toggles, CancellationToken ct) =>
                TypedResults.Ok(await Task.WhenAll(toggles.All.Select(t => t.GetStateAsync(ct)))))
            .WithName("GetFeatures")
            .Produces<FeatureState[]>();

        api.MapPut("/{name}", async Task<IResult> (string name, FeatureSwitchRequest body, IFeatureToggles toggles, ICurrentUser user, HttpContext http, CancellationToken ct) =>
            {
                if (toggles.Find(name) is not { } toggle)
                {
                    // The name is not echoed: it was written back whole (any length, any markup) into the body. The known
                    // names are what the caller needs to correct the request.
                    var known = string.Join(", ", toggles.All.Select(t => t.Name).Order(StringComparer.Ordinal));
                    return Error.NotFound("feature.not_found", $"There is no such feature. The features are: {known}.").ToProblem(http);
                }

                if (body.Enabled is not { } enabled)
                {
                    return (Error.Validation(new Dictionary<string, string[]> { ["enabled"] = ["Send \"enabled\": true or false."] }) with
                    {
                        Message = "Send \"enabled\": true or false.",
                    }).ToProblem(http);
                }

                return TypedResults.Ok(await toggle.SetEnabledAsync(enabled, user.UserName ?? user.UserId ?? "admin", ct));
            })
            .WithName("SetFeature")
            .Produces<FeatureState>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return endpoints;
    }
}
