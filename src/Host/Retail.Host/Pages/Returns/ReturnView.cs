using System.Globalization;
using Microsoft.AspNetCore.Http;
using Retail.Modules.Returns.Application.Photos;

namespace Retail.Host.Pages.Returns;

/// <summary>Formatting shared by the customer and staff return pages.</summary>
public static class ReturnView
{
    public static readonly IReadOnlyList<(string Code, string Label)> Reasons =
    [
        ("DEFECTIVE", "Defective"),
        ("WRONG_ITEM", "Wrong item"),
        ("NOT_AS_DESCRIBED", "Not as described"),
        ("CHANGED_MIND", "Changed my mind"),
        ("OTHER", "Other (tell us more)"),
    ];

    public static readonly IReadOnlyList<(string Code, string Label)> Outcomes =
    [
        ("REFUND", "Refund to my payment method"),
        ("REPLACEMENT", "Replacement"),
        ("REPAIR", "Repair"),
        ("STORE_CREDIT", "Store credit"),
    ];

    public static readonly IReadOnlyList<string> Dispositions = ["REFUND", "REPLACEMENT", "REPAIR", "STORE_CREDIT", "REJECT"];

    public static readonly IReadOnlyList<string> Grades = ["NEW", "LIKE_NEW", "USED", "DAMAGED", "UNUSABLE"];

    public static readonly IReadOnlyList<string> Mismatches = ["NONE", "WRONG_ITEM", "SHORT", "DAMAGED"];

    /// <summary>CSS modifier of a stage badge.</summary>
    public static string BadgeClass(string status) => status switch
    {
        "COMPLETED" => "ok",
        "REJECTED" or "CANCELLED" => "out",
        _ => "low",
    };

    public static string Label(string code) =>
        string.IsNullOrEmpty(code) ? "" : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(code.Replace('_', ' ').ToLowerInvariant());

    public static string TeamLabel(string? team) => team switch
    {
        "support" => "Support",
        "warehouse" => "Warehouse",
        "finance" => "Finance",
        "customer" => "You (the customer)",
        _ => "Nobody (closed)",
    };

    /// <summary>How long the return has been in its stage, e.g. "2 d 4 h".</summary>
    public static string Age(DateTimeOffset since, DateTimeOffset now)
    {
        var age = now - since;
        return age.TotalDays >= 1 ? $"{(int)age.TotalDays} d {age.Hours} h"
            : age.TotalHours >= 1 ? $"{(int)age.TotalHours} h {age.Minutes} min"
            : $"{Math.Max(0, (int)age.TotalMinutes)} min";
    }

    /// <summary>
    /// Reads uploaded files up to the limit and checks them (type from the bytes, size, count) before anything is stored.
    /// <paramref name="attached"/> photos are already on the return: the count is checked against the room left, so a post
    /// adds all of its photos or none (one by one, the first ones were added before the limit refused the rest).
    /// </summary>
    public static async Task<(List<byte[]> Photos, string? Problem)> ReadPhotosAsync(IFormFileCollection files, int maxPhotos, int attached, int maxBytes, CancellationToken cancellationToken)
    {
        var photos = new List<byte[]>();
        var chosen = files.Where(f => f.Length > 0).ToList();
        var room = Math.Max(0, maxPhotos - attached);
        if (chosen.Count > room)
        {
            return (photos, attached == 0 ? $"A return has at most {maxPhotos} photos."
                : room == 0 ? $"A return has at most {maxPhotos} photos; this one has no room for more."
                : $"A return has at most {maxPhotos} photos; this one has room for {room} more.");
        }

        foreach (var file in chosen)
        {
            if (file.Length > maxBytes)
            {
                return (photos, $"{file.FileName}: a photo can be at most {maxBytes / (1024 * 1024)} MB.");
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            var bytes = buffer.ToArray();
            if (ImageSanitizer.Sanitize(bytes).Problem is { } problem)
            {
                return (photos, $"{file.FileName}: {problem}");
            }

            photos.Add(bytes);
        }

        return (photos, null);
    }
}
