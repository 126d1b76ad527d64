using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.Data;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Infrastructure;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.BuildingBlocks.Infrastructure.Web;
using Retail.Modules.Identity.Application;
using Retail.Modules.Identity.Application.Abstractions;
using Retail.Modules.Identity.Application.PasswordReset;
using Retail.Modules.Identity.Application.Register;
using Retail.Modules.Identity.Domain;
using Retail.Modules.Identity.Infrastructure.Email;
using Retail.Modules.Identity.Infrastructure.Lockout;
using Retail.Modules.Identity.Infrastructure.Persistence;
using Retail.Modules.Identity.Infrastructure.Seeding;
using Retail.Modules.Identity.Infrastructure.Sessions;

namespace Retail.Modules.Identity.Infrastructure;

public static class IdentityModuleExtensions
{
    public const string LoginPath = "/Identity/Login";
    public const string LogoutPath = "/Identity/Logout";
    public const string AccessDeniedPath = "/Identity/AccessDenied";

    /// <summary>The pages' sign-in cookie.</summary>
    public const string AuthCookieName = "retail.auth";

    /// <summary>
    /// What <c>UseAuthentication()</c> records on the builder (ASP.NET Core's own key); WebApplication adds its own,
    /// unconditional authentication when it is missing — AuthorizationTests would then see anonymous requests authenticated.
    /// </summary>
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    /// <summary>
    /// ASP.NET Core Identity with cookie (pages) and bearer token (APIs) sign-in, the shop's roles as policies, and
    /// deny-by-default: every endpoint and page needs a signed-in user unless it explicitly allows anonymous access.
    /// </summary>
    public static IServiceCollection AddIdentityModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase<IdentityModuleDbContext, IdentitySqliteDbContext, IdentitySqlServerDbContext>(configuration, IdentityModule.Name);
        services.AddScoped<IIdentityDbContext>(sp => sp.GetRequiredService<IdentityModuleDbContext>());
        services.AddModuleValidators(typeof(IdentityModule));
        services.AddScoped<IIdentityService, IdentityService>();
        services.AddScoped<IModuleSeeder, IdentitySeeder>();
        services.Configure<SuperAdminOptions>(configuration.GetSection("Identity:SuperAdmin"));
        services.AddCheckedOptions<IdentityModuleOptions, IdentityModuleOptionsValidator>(configuration.GetSection("Identity"));
        services.AddSingleton<SecurityStampCheck>();
        // Identity's confirmation and reset emails go out through the app's email sender: this closed registration wins over
        // the open-generic no-op AddIdentityApiEndpoints installs, which answered "forgot password" without sending anything.
        // Singletons: MapIdentityApi resolves the sender once, from the root provider, when it maps the endpoints.
        services.AddSingleton<AccountLinks>();
        services.AddSingleton<IEmailSender<RetailUser>, IdentityEmailSender>();
        services.AddHostedService<AccountLinksStartupCheck>();

        services.AddIdentityApiEndpoints<RetailUser>(o =>
            {
                o.Password.RequiredLength = AccountPolicy.MinimumPasswordLength;
                o.Lockout.MaxFailedAccessAttempts = AccountPolicy.MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = AccountPolicy.LockoutDuration;
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                // The user name is the email: besides Identity's letters, digits and -._@+ it may hold every other character
                // an email's local part may (RFC 5322 atext); without them o'brien@… could not register.
                o.User.AllowedUserNameCharacters = AccountPolicy.EmailCharacters;
            })
            .AddRoles<IdentityRole>()
            .AddUserManager<ClockedUserManager>()
            .AddEntityFrameworkStores<IdentityModuleDbContext>();

        // Sign-in is read from a bearer token or the cookie, and either ends once the account's password changes (security
        // stamp, checked at most Identity:SecurityStampValidationInterval apart); challenges and forbids go through the
        // cookie handler, which redirects pages to the login/access-denied pages and answers 401/403 on APIs (RedirectOrStatus).
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, StampCheckedSignInHandler>(StampCheckedSignInHandler.SchemeName, o =>
            {
                o.ForwardChallenge = IdentityConstants.ApplicationScheme;
                o.ForwardForbid = IdentityConstants.ApplicationScheme;
            });
        services.Configure<Microsoft.AspNetCore.Authentication.AuthenticationOptions>(o =>
        {
            o.DefaultAuthenticateScheme = StampCheckedSignInHandler.SchemeName;
            o.DefaultChallengeScheme = IdentityConstants.ApplicationScheme;
            o.DefaultForbidScheme = IdentityConstants.ApplicationScheme;
        });
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IOptions<IdentityModuleOptions>>((o, settings) => o.ValidationInterval = settings.Value.SecurityStampValidationInterval);

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = LoginPath;
            o.LogoutPath = LogoutPath;
            o.AccessDeniedPath = AccessDeniedPath;
            o.Cookie.Name = AuthCookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // APIs answer 401/403; only pages redirect to the login and access-denied pages.
            o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
        });

        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var role in Roles.All)
        {
            // Admins and super-admins may do everything a staff role may; a super-admin everything an admin may.
            string[] allowed = role switch
            {
                Roles.SuperAdmin => [Roles.SuperAdmin],
                Roles.Admin => [Roles.Admin, Roles.SuperAdmin],
                _ => [role, Roles.Admin, Roles.SuperAdmin],
            };
            authorization.AddPolicy(role, p => p.RequireRole(allowed));
        }

        return services;
    }

    /// <summary>
    /// Authentication for the requests that carry a credential the default scheme reads: an <c>Authorization</c> header
    /// (bearer token) or the sign-in cookie. Any other request can only come out anonymous, and finding that out built
    /// and ran three handlers (Identity's bearer-or-cookie composite, the bearer and the cookie handler) on every
    /// anonymous request: with them the trivial endpoint allocated 9.1 KB per request instead of 6.4 and served 27,200
    /// requests/s instead of 35,200 (docs/benchmarks.md, session 27). Such a request keeps the anonymous user it starts
    /// with, so an endpoint that needs a user challenges it exactly as before; endpoints that name their own scheme (the
    /// partner API key) authenticate it in the authorization step either way.
    /// </summary>
    public static IApplicationBuilder UseIdentityAuthentication(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        var schemes = app.ApplicationServices.GetRequiredService<IAuthenticationSchemeProvider>();
        return app.Use(next =>
        {
            var authentication = new AuthenticationMiddleware(next, schemes);
            return context => CarriesSignInCredential(context.Request) ? authentication.Invoke(context) : next(context);
        });
    }

    private static bool CarriesSignInCredential(HttpRequest request) =>
        request.Headers.Authorization.Count > 0 || request.Cookies.ContainsKey(AuthCookieName);

    /// <summary>
    /// ASP.NET Core Identity's JSON endpoints under <c>/api/identity</c> (register, login with bearer token or cookie,
    /// refresh, manage). Registration goes through our <see cref="RegisterCustomerCommand"/> so API and page sign-ups
    /// get the same rules, the customer role and the CustomerRegistered event.
    /// </summary>
    public static IEndpointRouteBuilder MapIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/identity").WithTags("Identity");
        group.MapIdentityApi<RetailUser>()
            .AddEndpointFilter(async (context, next) =>
            {
                // JSON null satisfies the requests' `required` members, and Identity then throws on it (a 500); a new password
                // past what sign-in accepts would lock the customer out of the login page. Refuse both here.
                if (RefusedFields(context.Arguments) is { Count: > 0 } refused)
                {
                    return Error.Validation(refused).ToProblem(context.HttpContext);
                }

                if (context.Arguments.OfType<InfoRequest>().FirstOrDefault() is { NewEmail: { Length: > 0 } newEmail }
                    && await EmailOfAnotherAccountAsync(context.HttpContext, newEmail))
                {
                    // Identity's endpoint mailed a change link to the address anyway: its owner got an email about someone
                    // else's account, and the link could only fail. Refused before anything is sent; the account stays.
                    return IdentityService.EmailChangeTaken.ToProblem(context.HttpContext);
                }

                if (context.Arguments.OfType<LoginRequest>().FirstOrDefault() is { } login)
                {
                    // Registration and the login page trim the email; without this the API refused the very email it registered.
                    var index = context.Arguments.IndexOf(login);
                    context.Arguments[index] = new LoginRequest
                    {
                        Email = login.Email.Trim(),
                        Password = login.Password,
                        TwoFactorCode = login.TwoFactorCode,
                        TwoFactorRecoveryCode = login.TwoFactorRecoveryCode,
                    };
                    return await next(context);
                }

                var sender = context.HttpContext.RequestServices.GetRequiredService<IRequestSender>();
                if (context.Arguments.OfType<ForgotPasswordRequest>().FirstOrDefault() is { } forgot)
                {
                    // The page's use case: the same limit per address, and an unconfirmed account gets its confirmation link
                    // again (Identity's endpoint sent nothing to it, so it could never reset).
                    var requested = await sender.Send(new RequestPasswordResetCommand(forgot.Email), context.HttpContext.RequestAborted);
                    return requested.ToHttpResult(context.HttpContext, () => TypedResults.Ok());
                }

                if (context.Arguments.OfType<ResetPasswordRequest>().FirstOrDefault() is { } reset)
                {
                    // The page's use case: the registration rules, and the reset ends a lockout (Identity's endpoint left the
                    // account locked, so the customer still could not sign in). 200 as Identity answered; a wrong code a 400 problem.
                    var changed = await sender.Send(
                        new ResetPasswordCommand(reset.Email, reset.ResetCode, reset.NewPassword, reset.NewPassword), context.HttpContext.RequestAborted);
                    return changed.ToHttpResult(context.HttpContext, () => TypedResults.Ok());
                }

                if (context.Arguments.OfType<ResendConfirmationEmailRequest>().FirstOrDefault() is { } resend)
                {
                    // Identity's endpoint had no limit (anyone could flood a mailbox) and linked to its bare confirmEmail
                    // endpoint; the use case shares the forgot-password limit and links to /identity/confirm-email. It answers
                    // 200 for any address, as Identity did.
                    var resent = await sender.Send(new ResendConfirmationEmailCommand(resend.Email), context.HttpContext.RequestAborted);
                    return resent.ToHttpResult(context.HttpContext, () => TypedResults.Ok());
                }

                if (context.Arguments.OfType<RegisterRequest>().FirstOrDefault() is not { } register)
                {
                    return await next(context);
                }

                // A null email goes on to the validator, which names the field.
                var email = register.Email ?? "";
                // Control characters are the email's to be refused for (Email), not a display name the caller never sent.
                var displayName = string.Concat(email.Split('@')[0].Where(c => !char.IsControl(c)));
                // The API has no display name field, so a long name part must not fail a rule the caller cannot meet.
                if (displayName.Length > AccountPolicy.MaxDisplayNameLength)
                {
                    displayName = displayName[..AccountPolicy.MaxDisplayNameLength];
                }

                var result = await sender.Send(new RegisterCustomerCommand(email, register.Password, register.Password, displayName), context.HttpContext.RequestAborted);
                if (result.IsSuccess)
                {
                    // After the registration committed, never inside its transaction (a slow mail server would hold the write lock).
                    await sender.Send(new SendEmailConfirmationCommand(result.Value), context.HttpContext.RequestAborted);
                }

                return result.ToHttpResult(context.HttpContext, _ => TypedResults.Ok());
            })
            .Finally(b =>
            {
                // register/login/refresh carry no authorization metadata; the manage endpoints do and stay protected.
                if (!b.Metadata.OfType<IAuthorizeData>().Any())
                {
                    b.Metadata.Add(new AllowAnonymousAttribute());
                }
            });
        return endpoints;
    }

    /// <summary>Whether an account other than the signed-in one has this email (compared as Identity normalises it).</summary>
    private static async Task<bool> EmailOfAnotherAccountAsync(HttpContext httpContext, string email)
    {
        var users = httpContext.RequestServices.GetRequiredService<UserManager<RetailUser>>();
        return await users.FindByEmailAsync(email.Trim()) is { } owner && owner.Id != users.GetUserId(httpContext.User);
    }

    /// <summary>
    /// The members of Identity's API requests that cannot be used: required ones that arrived as JSON null (each with what
    /// to enter) and new passwords longer than sign-in accepts.
    /// </summary>
    private static Dictionary<string, string[]> RefusedFields(IList<object?> arguments)
    {
        var refused = new Dictionary<string, string[]>();
        void Require(string? value, string field, string message)
        {
            if (string.IsNullOrEmpty(value))
            {
                refused[field] = [message];
            }
        }

        void LimitPassword(string? value)
        {
            if (value is { Length: > AccountPolicy.MaxPasswordLength })
            {
                refused["NewPassword"] = [$"A password has at most {AccountPolicy.MaxPasswordLength} characters."];
            }
        }

        foreach (var argument in arguments)
        {
            switch (argument)
            {
                case LoginRequest login:
                    Require(login.Email, "Email", "Enter your email.");
                    Require(login.Password, "Password", "Enter your password.");
                    break;
                case ForgotPasswordRequest forgot:
                    Require(forgot.Email, "Email", "Enter your email.");
                    break;
                case ResendConfirmationEmailRequest resend:
                    Require(resend.Email, "Email", "Enter your email.");
                    break;
                case ResetPasswordRequest reset:
                    Require(reset.Email, "Email", "Enter your email.");
                    Require(reset.ResetCode, "ResetCode", "Enter the reset code from the email.");
                    Require(reset.NewPassword, "NewPassword", "Enter a new password.");
                    LimitPassword(reset.NewPassword);
                    break;
                case InfoRequest info:
                    LimitPassword(info.NewPassword);
                    if (!string.IsNullOrEmpty(info.NewEmail) && NewEmailProblem(info.NewEmail.Trim()) is { } problem)
                    {
                        refused["NewEmail"] = [problem];
                    }

                    break;
            }
        }

        return refused;
    }

    /// <summary>
    /// Why a new address cannot be the account's (it becomes the sign-in name too, so registration's rules apply), else
    /// null. Identity's endpoint mailed a change link to any text: one with a space failed the send (a 500), one with a
    /// character the sign-in name cannot hold got a link that could only be refused.
    /// </summary>
    private static string? NewEmailProblem(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (email.Length > 256)
        {
            return "An email address has at most 256 characters.";
        }

        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return "Enter an email address such as name@example.com.";
        }

        return new EmailMustUseAcceptedCharactersRule(email).IsBroken() ? EmailMustUseAcceptedCharactersRule.Explanation : null;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/hangfire", StringComparison.OrdinalIgnoreCase) && status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
