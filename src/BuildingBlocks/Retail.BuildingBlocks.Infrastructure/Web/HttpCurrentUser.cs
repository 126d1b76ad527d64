using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Retail.BuildingBlocks.Application.Abstractions;

namespace Retail.BuildingBlocks.Infrastructure.Web;

/// <summary>The current user from the HTTP request (cookie or bearer token alike).</summary>
internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public string? UserId => IsAuthenticated ? Principal!.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public string? UserName => IsAuthenticated ? Principal!.Identity!.Name : null;

    public bool IsInRole(string role) => Principal?.IsInRole(role) == true;
}
