using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retail.BuildingBlocks.Application;
using Retail.BuildingBlocks.Application.Messaging;
using Retail.BuildingBlocks.Application.Security;
using Retail.Modules.Returns.Application.Abstractions;
using Retail.Modules.Returns.Application.Returns;
using Retail.Modules.Returns.Domain.Returns;

namespace Retail.Modules.Returns.Application.Photos;

/// <summary>
/// Owner or staff: attach a photo (at most <see cref="ReturnsOptions.MaxPhotos"/> per return, at most
/// <see cref="ReturnsOptions.MaxPhotoBytes"/>; JPEG/PNG/WebP by content; metadata stripped before it is stored).
/// </summary>
[Authenticated]
public sealed record AddReturnPhotoCommand(string Code, byte[] Content) : ICommand<PhotoDto>;

/// <summary>Owner or staff: a photo's cleaned bytes. Anybody else gets 404.</summary>
[Authenticated]
public sealed record GetReturnPhotoQuery(string Code, Guid PhotoId) : IQuery<PhotoContentDto>;

public sealed record PhotoContentDto(string ContentType, byte[] Content);

public static class PhotoErrors
{
    public static Error TooLarge(int maxBytes) =>
        new("returns.photo_too_large", $"A photo can be at most {maxBytes / (1024 * 1024)} MB.", ErrorKind.Unprocessable);

    public static Error NotAnImage(string message) => Error.Unprocessable("returns.photo_type", message);

    public static Error TooMany(int max) => Error.Unprocessable("returns.too_many_photos", $"A return has at most {max} photos.");

    public static Error Closed() => Error.Conflict("returns.closed", "Photos cannot be added to a closed return.");
}

public sealed class PhotoHandlers(
    IReturnsDbContext db,
    ReturnViewer viewer,
    IReturnPhotoStore store,
    IOptions<ReturnsOptions> options,
    TimeProvider time,
    ILogger<PhotoHandlers> logger) :
    ICommandHandler<AddReturnPhotoCommand, PhotoDto>,
    IQueryHandler<GetReturnPhotoQuery, PhotoContentDto>
{
    public async ValueTask<Result<PhotoDto>> Handle(AddReturnPhotoCommand command, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (command.Content.Length > limits.MaxPhotoBytes)
        {
            return PhotoErrors.TooLarge(limits.MaxPhotoBytes);
        }

        var entity = await db.LoadAsync(command.Code, cancellationToken);
        if (entity is null || !viewer.CanSee(entity))
        {
            return ReturnErrors.NotFound();
        }

        if (ReturnWorkflow.IsFinal(entity.Status))
        {
            return PhotoErrors.Closed();
        }

        if (entity.PhotoCount >= limits.MaxPhotos)
        {
            return PhotoErrors.TooMany(limits.MaxPhotos);
        }

        var image = ImageSanitizer.Sanitize(command.Content);
        if (image.Problem is { } problem)
        {
            logger.LogWarning("Return {ReturnCode}: photo refused ({Bytes} bytes): {Problem}", entity.Code, command.Content.Length, problem);
            return PhotoErrors.NotAnImage(problem);
        }

        if (viewer.RoleFor(entity, null) is not { } role)
        {
            return Error.Forbidden() with { Code = "returns.wrong_role", Message = "Only the customer and the support, warehouse or finance teams add photos." };
        }

        entity.RegisterPhoto(limits.MaxPhotos);
        var photo = ReturnPhoto.Create(entity.Id, image.ContentType, image.Extension, image.Content!.Length, viewer.Actor(role), time.GetUtcNow());
        db.Photos.Add(photo);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ReturnErrors.Stale();
        }

        await store.SaveAsync(entity.Id, photo.Id, photo.Extension, image.Content, cancellationToken);
        logger.LogInformation("Return {ReturnCode}: photo {PhotoId} stored ({ContentType}, {Bytes} → {Stored} bytes)", entity.Code, photo.Id, photo.ContentType, command.Content.Length, photo.Size);
        return new PhotoDto(photo.Id, photo.ContentType, photo.Size, photo.UploadedByRole, photo.UploadedAt);
    }

    public async ValueTask<Result<PhotoContentDto>> Handle(GetReturnPhotoQuery query, CancellationToken cancellationToken)
    {
        var code = ReturnCodes.Normalize(query.Code);
        var owner = await db.Returns.AsNoTracking().Where(r => r.Code == code).Select(r => new { r.Id, r.CustomerId }).SingleOrDefaultAsync(cancellationToken);
        if (owner is null || (owner.CustomerId != viewer.UserId && !viewer.IsStaff))
        {
            return ReturnErrors.NotFound();
        }

        var photoId = query.PhotoId;
        var photo = await db.Photos.AsNoTracking().SingleOrDefaultAsync(p => p.Id == photoId && p.ReturnId == owner.Id, cancellationToken);
        var bytes = photo is null ? null : await store.ReadAsync(owner.Id, photo.Id, photo.Extension, cancellationToken);
        return bytes is null ? ReturnErrors.NotFound() : new PhotoContentDto(photo!.ContentType, bytes);
    }
}
