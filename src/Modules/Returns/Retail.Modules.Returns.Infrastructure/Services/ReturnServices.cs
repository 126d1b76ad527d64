using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Infrastructure.Persistence;
using Retail.Modules.Returns.Application;
using Retail.Modules.Returns.Application.Abstractions;

namespace Retail.Modules.Returns.Infrastructure.Services;

internal sealed class CryptoReturnCodeRandom : IReturnCodeRandom
{
    public int Next(int maxExclusive) => RandomNumberGenerator.GetInt32(maxExclusive);
}

/// <summary>
/// Photos as files under <see cref="ReturnsOptions.PhotoFolder"/> (outside wwwroot, never served statically):
/// <c>{folder}/{returnId}/{photoId}.{ext}</c>, names made only of GUIDs and a fixed extension.
/// </summary>
internal sealed class FileSystemReturnPhotoStore(IOptions<ReturnsOptions> options, IConfiguration configuration) : IReturnPhotoStore
{
    private readonly string _root = ResolveRoot(options.Value, configuration);

    public string Root => _root;

    public async Task SaveAsync(Guid returnId, Guid photoId, string extension, byte[] content, CancellationToken cancellationToken)
    {
        var path = PathOf(returnId, photoId, extension);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, content, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    public async Task<byte[]?> ReadAsync(Guid returnId, Guid photoId, string extension, CancellationToken cancellationToken)
    {
        var path = PathOf(returnId, photoId, extension);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    private string PathOf(Guid returnId, Guid photoId, string extension)
    {
        var safeExtension = extension switch
        {
            "jpg" or "png" or "webp" => extension,
            _ => throw new ArgumentOutOfRangeException(nameof(extension), extension, "Only jpg, png and webp are stored."),
        };
        return Path.Combine(_root, returnId.ToString("N"), $"{photoId:N}.{safeExtension}");
    }

    /// <summary>The configured folder, or <c>return-photos</c> beside the SQLite database, or <c>./data/return-photos</c>.</summary>
    internal static string ResolveRoot(ReturnsOptions options, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(options.PhotoFolder))
        {
            return Path.GetFullPath(options.PhotoFolder);
        }

        var database = configuration.ReadDatabaseOptions();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var source = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            if (!string.IsNullOrEmpty(source) && source != ":memory:")
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(source));
                if (!string.IsNullOrEmpty(folder))
                {
                    return Path.Combine(folder, "return-photos");
                }
            }
        }

        return Path.GetFullPath("./data/return-photos");
    }
}
