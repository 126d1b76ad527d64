using System.Text;
using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Catalog.Domain.Categories;

/// <summary>A product category with a URL-friendly slug.</summary>
public sealed class Category : AggregateRoot<Guid>
{
    private Category()
    {
    }

    public string Name { get; private set; } = "";

    public string Slug { get; private set; } = "";

    public static Category Create(string name) => new() { Id = Guid.NewGuid(), Name = name.Trim(), Slug = SlugOf(name) };

    public static string SlugOf(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in (name ?? "").Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-');
    }
}
