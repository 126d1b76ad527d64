namespace Retail.Host.FunctionalTests.Infrastructure;

/// <summary>The demo accounts the seed creates (password <see cref="RetailAppFactory.DemoPassword"/>).</summary>
public static class Users
{
    public const string Support = "support@retail.local";
    public const string Warehouse = "warehouse@retail.local";
    public const string Finance = "finance@retail.local";
    public const string Catalog = "catalog@retail.local";
    public const string Admin = "admin@retail.local";
    public const string Customer = "customer@retail.local";
    public const string Customer2 = "customer2@retail.local";
    public const string SuperAdmin = RetailAppFactory.SuperAdminEmail;

    public static string PasswordOf(string email) =>
        email == SuperAdmin ? RetailAppFactory.SuperAdminPassword : RetailAppFactory.DemoPassword;

    /// <summary>A fresh address nobody has registered yet.</summary>
    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.test";
}
