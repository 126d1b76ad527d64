using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application.Security;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Identity.Infrastructure.Persistence;

namespace Retail.Modules.Identity.Infrastructure.Seeding;

public sealed class SuperAdminOptions
{
    public string Email { get; set; } = "superadmin@retail.local";

    /// <summary>From configuration or an environment variable only; when empty a password is generated and printed once.</summary>
    public string? Password { get; set; }
}

/// <summary>
/// First-run accounts: all roles, the super-admin (always), and with demo data one user per staff role plus two
/// customers. No password lives in the repository: they come from configuration or are generated and printed once.
/// </summary>
internal sealed class IdentitySeeder(
    UserManager<RetailUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<SuperAdminOptions> superAdmin,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<IdentitySeeder> logger) : IModuleSeeder
{
    public static readonly IReadOnlyList<(string Email, string Name, string Role)> DemoUsers =
    [
        ("support@retail.local", "Sam Support", Roles.Support),
        ("warehouse@retail.local", "Wendy Warehouse", Roles.Warehouse),
        ("finance@retail.local", "Finn Finance", Roles.Finance),
        ("catalog@retail.local", "Cat Catalog", Roles.CatalogAdmin),
        ("admin@retail.local", "Ada Admin", Roles.Admin),
        ("customer@retail.local", "Chris Customer", Roles.Customer),
        ("customer2@retail.local", "Casey Customer", Roles.Customer),
    ];

    public int Order => 0;

    public async Task SeedAsync(bool includeDemoData, CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        var hadUsers = users.Users.Any();
        if ((await users.GetUsersInRoleAsync(Roles.SuperAdmin)).Count == 0)
        {
            var options = superAdmin.Value;
            var password = string.IsNullOrWhiteSpace(options.Password) ? GeneratePassword() : options.Password;
            await CreateAsync(options.Email, "Super Admin", Roles.SuperAdmin, password);
            if (string.IsNullOrWhiteSpace(options.Password))
            {
                PrintOnce($"Super-admin created: {options.Email} / {password}  (set Identity__SuperAdmin__Password to choose it; shown only this once)");
            }
        }

        if (!includeDemoData || hadUsers)
        {
            return;
        }

        var configured = configuration["Seed:DemoPassword"];
        var demoPassword = string.IsNullOrWhiteSpace(configured) ? GeneratePassword() : configured;
        foreach (var (email, name, role) in DemoUsers)
        {
            await CreateAsync(email, name, role, demoPassword);
        }

        if (string.IsNullOrWhiteSpace(configured))
        {
            PrintOnce($"Demo users ({string.Join(", ", DemoUsers.Select(u => u.Email))}) share the password {demoPassword}  (set Seed__DemoPassword to choose it; shown only this once)");
        }

        logger.LogInformation("Seeded {Count} demo users", DemoUsers.Count);
    }

    private async Task CreateAsync(string email, string displayName, string role, string password)
    {
        var user = new RetailUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, CreatedAt = time.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {email}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
        }

        await users.AddToRoleAsync(user, role);
    }

    // Printed to the console, not the log, so the password never lands in log storage.
    private static void PrintOnce(string message) => Console.WriteLine("\n*** " + message + " ***\n");

    /// <summary>A password that meets Identity's defaults: upper, lower, digit, symbol, and 20 random characters.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var random = RandomNumberGenerator.GetString(alphabet, 20);
        return $"Rt{random}7!";
    }
}
