using System.Buffers.Binary;

namespace Retail.Modules.Returns.Application.Photos;

public enum ImageKind
{
    Jpeg,
    Png,
    WebP,
}

/// <summary>The outcome of <see cref="ImageSanitizer.Sanitize"/>: the cleaned bytes, or why the file was refused.</summary>
public sealed record SanitizedImage(ImageKind? Kind, byte[]? Content, string? Problem)
{
    public string ContentType => Kind switch
    {
        ImageKind.Jpeg => "image/jpeg",
        ImageKind.Png => "image/png",
        ImageKind.WebP => "image/webp",
        _ => "application/octet-stream",
    };

    public string Extension => Kind switch
    {
        ImageKind.Jpeg => "jpg",
        ImageKind.Png => "png",
        ImageKind.WebP => "webp",
        _ => "bin",
    };
}

/// <summary>
/// Decides the image type from its bytes (never the file name) and removes metadata at the byte level, with no imaging
/// library: JPEG loses APP1–APP13/APP15 (EXIF, XMP, IPTC…) and COM segments, between scans too, and anything after its end
/// marker (APP0 JFIF, APP2 ICC colour profile and APP14 Adobe colour transform stay, they are needed to show colours right); PNG loses tEXt/zTXt/iTXt/eXIf/tIME chunks;
/// WebP loses its EXIF and XMP chunks (and the VP8X flags that announce them). Anything malformed is refused.
/// </summary>
public static class ImageSanitizer
{
    public const string NotAnImage = "The file is not a JPEG, PNG or WebP image.";
    public const string Damaged = "The image file is damaged or incomplete.";

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly HashSet<string> PngDroppedChunks = ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"];

    public static ImageKind? Detect(ReadOnlySpan<byte> content)
    {
        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF)
        {
            return ImageKind.Jpeg;
        }

        if (content.Length >= 8 && content[..8].SequenceEqual(PngSignature))
        {
            return ImageKind.Png;
        }

        if (content.Length >= 12 && content[..4].SequenceEqual("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageKind.WebP;
        }

        return null;
    }

    public static SanitizedImage Sanitize(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var kind = Detect(content);
        if (kind is null)
        {
            return new SanitizedImage(null, null, NotAnImage);
        }

        var cleaned = kind switch
        {
            ImageKind.Jpeg => StripJpeg(content),
            ImageKind.Png => StripPng(content),
            _ => StripWebP(content),
        };
        return cleaned is null ? new SanitizedImage(kind, null, Damaged) : new SanitizedImage(kind, cleaned, null);
    }

    private static byte[]? StripJpeg(byte[] data)
    {
        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 2); // SOI
        var i = 2;
        while (i < data.Length)
        {
            if (data[i] != 0xFF)
            {
                return null;
            }

            // Fill bytes: any number of 0xFF before a marker.
            while (i < data.Length && data[i] == 0xFF)
            {
                i++;
            }

            if (i >= data.Length)
            {
                return null;
            }

            var marker = data[i];
            i++;
            if (marker == 0xD9)
            {
                output.Write([0xFF, 0xD9]);
                return output.ToArray();
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                output.Write([0xFF, marker]);
                continue;
            }

            if (i + 2 > data.Length)
            {
                return null;
            }

            var length = (data[i] << 8) | data[i + 1];
            if (length < 2 || i + length > data.Length)
            {
                return null;
            }

            var drop = marker == 0xFE || (marker >= 0xE1 && marker <= 0xEF && marker != 0xE2 && marker != 0xEE);
            if (!drop)
            {
                output.Write([0xFF, marker]);
                output.Write(data, i, length);
            }

            i += length;
            if (marker == 0xDA)
            {
                // Start of scan: copy its entropy-coded data up to the next marker, then go on reading segments. Copying
                // the rest of the file as it was kept the EXIF a progressive JPEG can carry between its scans, and
                // whatever a phone appends after the end marker (motion-photo video, maker trailers, with location).
                var end = EntropyCodedEnd(data, i);
                output.Write(data, i, end - i);
                i = end;
                if (i == data.Length)
                {
                    // No end marker after the scan: a file cut short, kept as it was (viewers show what is there).
                    return output.ToArray();
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Where the entropy-coded data starting at <paramref name="start"/> ends: at the first 0xFF that begins a marker (not
    /// a stuffed 0xFF 0x00, not a restart marker 0xFF 0xD0–0xD7), or at the end of the file.
    /// </summary>
    private static int EntropyCodedEnd(byte[] data, int start)
    {
        var j = start;
        while (j < data.Length)
        {
            if (data[j] != 0xFF)
            {
                j++;
                continue;
            }

            if (j + 1 >= data.Length)
            {
                return data.Length;
            }

            var next = data[j + 1];
            if (next is 0x00 or (>= 0xD0 and <= 0xD7))
            {
                j += 2;
                continue;
            }

            return j;
        }

        return data.Length;
    }

    private static byte[]? StripPng(byte[] data)
    {
        using var output = new MemoryStream(data.Length);
        output.Write(PngSignature);
        var i = PngSignature.Length;
        var sawEnd = false;
        while (i + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(i, 4));
            if (length > int.MaxValue || i + 12 + (long)length > data.Length)
            {
                return null;
            }

            var type = System.Text.Encoding.ASCII.GetString(data, i + 4, 4);
            var total = 12 + (int)length;
            if (!PngDroppedChunks.Contains(type))
            {
                output.Write(data, i, total);
            }

            i += total;
            if (type == "IEND")
            {
                sawEnd = true;
                break;
            }
        }

        return sawEnd ? output.ToArray() : null;
    }

    private static byte[]? StripWebP(byte[] data)
    {
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4, 4));
        if (riffSize < 4 || riffSize + 8L > data.Length)
        {
            return null;
        }

        var end = (int)riffSize + 8;
        using var body = new MemoryStream(data.Length);
        body.Write("WEBP"u8);
        var i = 12;
        var chunks = 0;
        while (i + 8 <= end)
        {
            var fourCc = System.Text.Encoding.ASCII.GetString(data, i, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i + 4, 4));
            // In long: an odd size of 0xFFFFFFFF padded in uint wraps to 0 and a chunk with no data would pass.
            var padded = size + (long)(size & 1);
            if (i + 8L + padded > end)
            {
                return null;
            }

            if (fourCc is not ("EXIF" or "XMP "))
            {
                var start = (int)body.Length;
                body.Write(data, i, 8 + (int)padded);
                if (fourCc == "VP8X" && size >= 1)
                {
                    // Clear the "has EXIF" (0x08) and "has XMP" (0x04) flags of the extended header.
                    var buffer = body.GetBuffer();
                    buffer[start + 8] &= unchecked((byte)~0x0C);
                }
            }

            chunks++;
            i += 8 + (int)padded;
        }

        if (chunks == 0 || i != end)
        {
            return null;
        }

        var payload = body.ToArray();
        var result = new byte[payload.Length + 8];
        "RIFF"u8.CopyTo(result);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4, 4), (uint)payload.Length);
        payload.CopyTo(result, 8);
        return result;
    }
}
