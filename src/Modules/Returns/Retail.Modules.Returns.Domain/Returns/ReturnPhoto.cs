using Retail.BuildingBlocks.Domain;

namespace Retail.Modules.Returns.Domain.Returns;

/// <summary>A photo of a return (bytes live in the photo store, outside the web root; metadata stripped before storing).</summary>
public sealed class ReturnPhoto
{
    private ReturnPhoto()
    {
    }

    public Guid Id { get; private set; }

    public Guid ReturnId { get; private set; }

    /// <summary>image/jpeg, image/png or image/webp, decided from the bytes.</summary>
    public string ContentType { get; private set; } = "";

    public string Extension { get; private set; } = "";

    public long Size { get; private set; }

    public string UploadedBy { get; private set; } = "";

    public string UploadedByRole { get; private set; } = "";

    public DateTimeOffset UploadedAt { get; private set; }

    public static ReturnPhoto Create(Guid returnId, string contentType, string extension, long size, ReturnActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new ReturnPhoto
        {
            Id = Guid.NewGuid(),
            ReturnId = returnId,
            ContentType = contentType,
            Extension = extension,
            Size = size,
            UploadedBy = actor.UserId,
            UploadedByRole = actor.Role,
            UploadedAt = now,
        };
    }
}

public sealed class PhotoLimitRule(int current, int max) : IBusinessRule
{
    public bool IsBroken() => current >= max;

    public string Message => $"A return has at most {max} photos.";
}
