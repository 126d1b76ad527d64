using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Identity.Infrastructure;
using Scalar.AspNetCore;

namespace Retail.Host.Web;

public static class RequestLimits
{
    /// <summary>
    /// Bodies above this are refused before they are read (413), on every server (<see cref="RequestBodyLimitMiddleware"/>;
    /// Kestrel's own limit is set from it too). Endpoints that take files raise it for themselves.
    /// </summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;
}

internal static class WebSetup
{
    /// <summary>The cookie TempData (one-time status messages) travels in.</summary>
    public const string TempDataCookieName = "retail.tempdata";

    /// <summary>Razor Pages with role conventions per folder, antiforgery, OpenAPI.</summary>
    public static IServiceCollection AddRetailWeb(this IServiceCollection services)
    {
        services.AddSingleton<ShopTime>();
        services.AddRazorPages(o =>
        {
            o.Conventions.AllowAnonymousToPage("/Index");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToFolder("/Catalog");
            o.Conventions.AllowAnonymousToFolder("/Flash");
            o.Conventions.AllowAnonymousToPage("/Identity/Login");
            o.Conventions.AllowAnonymousToPage("/Identity/Register");
            o.Conventions.AllowAnonymousToPage("/Identity/AccessDenied");
            o.Conventions.AuthorizeFolder("/Admin/Catalog", Roles.CatalogAdmin);
            o.Conventions.AuthorizeFolder("/Admin/Users", Roles.Admin);
            o.Conventions.AuthorizeFolder("/Admin/Payments", Roles.Admin);
            o.Conventions.AuthorizeFolder("/Admin/Dashboard", Roles.Admin);
            o.Conventions.AuthorizeFolder("/Admin/FlashSales", Roles.CatalogAdmin);
            o.Conventions.AddPageRoute("/Admin/FlashSales/Edit", "admin/flash-sales/new");
            o.Conventions.AuthorizeFolder("/Admin/Features", Roles.Admin);
            // /Cart, /Checkout and /Orders need only a signed-in user: the fallback policy already asks for one.
            o.Conventions.AuthorizeFolder("/Staff/Orders", Roles.Warehouse);
            o.Conventions.AuthorizeFolder("/Admin/Partners", Roles.CatalogAdmin);
            o.Conventions.AuthorizeFolder("/Partner", Roles.Partner);
        });
        // Field rules live in the FluentValidation validators (one set for pages and APIs), not in implicit [Required]s.
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true);
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(BindingMessages.Configure);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "retail.antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure over HTTPS, including HTTPS a trusted proxy terminated (ForwardedHeadersSetup); the default is never.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = TempDataCookieName;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<Microsoft.AspNetCore.Mvc.ViewFeatures.CookieTempDataProvider>();
        services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Mvc.ViewFeatures.ITempDataProvider, QuietCookieTempDataProvider>());
        // A number sent as a JSON string ("price":"12.50") is a 400, not read as the number (the web defaults allow it):
        // the API contracts are typed, as the partner stock webhook's body is.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        services.AddOutputCache(o => o.AddPolicy(FlashListingOutputCache.PolicyName, new FlashListingOutputCache()));
        services.AddOpenApi();
        return services;
    }

    public static WebApplication UseRetailWeb(this WebApplication app)
    {
        // Client address and scheme from a configured TLS-terminating proxy only (ForwardedHeaders:KnownProxies/KnownNetworks).
        app.UseTrustedForwardedHeaders();
        // Unexpected exceptions: APIs get problem details from RetailExceptionHandler; pages re-execute /Error.
        app.UseExceptionHandler("/Error");
        app.UseWhen(IsApi, api => api.UseStatusCodePages(status => Retail.BuildingBlocks.Infrastructure.Web.ProblemResults.WriteStatusProblemAsync(status.HttpContext)));
        app.UseWhen(ctx => !IsApi(ctx), pages => pages.UseStatusCodePagesWithReExecute("/Error", "?statusCode={0}"));
        var sendHsts = !app.Environment.IsDevelopment();
        app.Use((context, next) => SecurityHeaders(context, next, sendHsts));
        app.UseStaticFiles();
        app.UseRouting();
        // After routing, which tells whether the endpoint has a size limit of its own; before anything reads a body.
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseIdentityAuthentication();
        app.UseAuthorization();
        // After authentication and authorization: the policies ask who the user is, and a protected page is never served
        // from the cache to someone not allowed to see it.
        app.UseOutputCache();
        return app;
    }

    public static WebApplication MapRetailPagesAndTools(this WebApplication app)
    {
        app.MapRazorPages();
        // Unknown paths are 404 for everyone (without this the deny-by-default policy would answer 401 to anonymous users).
        // The fallback also wins over routing's own 405 and 415 answers, so for the APIs it gives them itself.
        app.MapFallback("{*path}", (HttpContext context, EndpointDataSource endpoints) => NotFound(context, endpoints)).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("Retail API")).AllowAnonymous();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            // Access is decided by the endpoint's policy below; Hangfire's own filter would only allow local requests.
            Authorization = [new AllowAuthorizedEndpoint()],
            DisplayStorageConnectionString = false,
            DashboardTitle = "Retail jobs",
        }).RequireAuthorization(Roles.Admin);
        return app;
    }

    /// <summary>Applies migrations (embedded default) and first-run data. A database that is down leaves the app serving, not ready.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var database = app.Configuration.ReadDatabaseOptions();
        try
        {
            if (database.MigrateOnStartup)
            {
                await app.Services.MigrateModuleDatabasesAsync();
            }

            await app.Services.SeedModulesAsync(app.Configuration);
        }
        catch (Exception ex) when (!database.MigrateOnStartup)
        {
            app.Logger.LogCritical(ex, "Database not ready at startup; /health/ready answers 503 until it is");
        }
    }

    /// <summary>
    /// 404, or for an API route that exists: 405 with <c>Allow</c> when it does not take the request's method, 415 when it
    /// does but not the request's content type. Route constraints are not evaluated: such a request is a 404 as before.
    /// </summary>
    private static IResult NotFound(HttpContext context, EndpointDataSource endpoints)
    {
        var request = context.Request;
        if (!IsApi(context))
        {
            return Results.NotFound();
        }

        var sameRoute = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null
                && new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(new Microsoft.AspNetCore.Routing.Template.RouteTemplate(e.RoutePattern), [])
                    .TryMatch(request.Path, []))
            .ToList();
        if (sameRoute.Count == 0)
        {
            return Results.NotFound();
        }

        var forMethod = sameRoute.Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase)).ToList();
        if (forMethod.Count == 0)
        {
            context.Response.Headers.Allow = string.Join(", ", sameRoute.SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods).Distinct(StringComparer.OrdinalIgnoreCase));
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        }

        var requested = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed : null;
        var refusesContentType = forMethod.All(e => e.Metadata.GetMetadata<IAcceptsMetadata>() is { IsOptional: false } accepts
            && !accepts.ContentTypes.Any(type => requested is not null && requested.IsSubsetOf(Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(type))));
        return refusesContentType ? Results.StatusCode(StatusCodes.Status415UnsupportedMediaType) : Results.NotFound();
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Set just before the response starts, not when the request comes in: the exception handler clears the response
    /// (headers included) before it writes an API's problem, and such answers (a body that could not be read, a 500)
    /// went out without any of these headers.
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next, bool sendHsts)
    {
        context.Response.OnStarting(() =>
        {
            AddSecurityHeaders(context, sendHsts);
            return Task.CompletedTask;
        });
        return next();
    }

    private static void AddSecurityHeaders(HttpContext context, bool sendHsts)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        // The legacy XSS auditor is off, as OWASP recommends (it is gone from current browsers and could be abused in old
        // ones); the CSP below is the protection.
        headers.XXSSProtection = "0";
        if (sendHsts)
        {
            // TLS terminates at the proxy in production, so the app may see plain HTTP and UseHsts() would never emit it.
            // Browsers ignore the header on plain HTTP, so sending it always is safe.
            headers.StrictTransportSecurity = "max-age=31536000";
        }

        var path = context.Request.Path;
        if (!path.StartsWithSegments("/hangfire", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/api/docs", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
        }
    }

    private sealed class AllowAuthorizedEndpoint : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
