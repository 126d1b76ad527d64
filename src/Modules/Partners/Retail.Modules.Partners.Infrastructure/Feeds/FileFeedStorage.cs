using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Retail.Modules.Partners.Application;
using Retail.Modules.Partners.Application.Abstractions;

namespace Retail.Modules.Partners.Infrastructure.Feeds;

/// <summary>
/// Feed files on disk under <c>Partners:StorageFolder</c>, named by their SHA-256 (content-addressed: the same feed is
/// stored once). The copy stops at the size limit, so an oversized body is refused without being read to the end.
/// </summary>
internal sealed class FileFeedStorage(IOptions<PartnersOptions> options) : IFeedStorage
{
    private string Folder => Path.GetFullPath(options.Value.StorageFolder);

    public async Task<StoredFeed?> SaveAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var temp = Path.Combine(Folder, $"upload-{Guid.NewGuid():N}.tmp");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        try
        {
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        return null;
                    }

                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            var contentHash = Convert.ToHexStringLower(hash.GetHashAndReset());
            var final = PathOf(contentHash);
            if (File.Exists(final))
            {
                File.Delete(temp);
            }
            else
            {
                File.Move(temp, final);
            }

            return new StoredFeed(contentHash, total);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public Stream Open(string contentHash) =>
        new FileStream(PathOf(contentHash), FileMode.Open, FileAccess.Read, FileShare.Read, 65536, FileOptions.SequentialScan);

    public void Delete(string contentHash)
    {
        var path = PathOf(contentHash);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private string PathOf(string contentHash)
    {
        if (contentHash.Length != 64 || !contentHash.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a SHA-256 hex digest.", nameof(contentHash));
        }

        return Path.Combine(Folder, contentHash + ".feed");
    }
}
