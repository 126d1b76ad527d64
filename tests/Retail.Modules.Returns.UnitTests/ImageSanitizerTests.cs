using System.Buffers.Binary;
using System.Text;
using Retail.Modules.Returns.Application.Photos;

namespace Retail.Modules.Returns.UnitTests;

/// <summary>Type by content, metadata stripped at the byte level, malformed files refused.</summary>
public sealed class ImageSanitizerTests
{
    private static readonly byte[] Jpeg =
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // APP0 JFIF (kept)
        0xFF, 0xE1, 0x00, 0x0C, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x47, 0x50, 0x53, 0x21, // APP1 Exif "GPS!" (dropped)
        0xFF, 0xE2, 0x00, 0x06, 0x49, 0x43, 0x43, 0x5F, // APP2 ICC (kept)
        0xFF, 0xED, 0x00, 0x06, 0x49, 0x50, 0x54, 0x43, // APP13 IPTC (dropped)
        0xFF, 0xFE, 0x00, 0x08, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, // COM "secret" (dropped)
        0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01, // DQT (kept)
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34, 0xFF, 0x00, 0x56,
        0xFF, 0xD9,
    ];

    [Fact]
    public void Jpeg_loses_exif_iptc_and_comments_but_keeps_jfif_icc_tables_and_scan()
    {
        var result = ImageSanitizer.Sanitize(Jpeg);

        result.Problem.ShouldBeNull();
        result.ContentType.ShouldBe("image/jpeg");
        var text = Encoding.Latin1.GetString(result.Content!);
        text.ShouldNotContain("Exif");
        text.ShouldNotContain("IPTC");
        text.ShouldNotContain("secret");
        text.ShouldContain("JFIF");
        text.ShouldContain("ICC_");
        result.Content!.Length.ShouldBe(Jpeg.Length - 14 - 8 - 10);
        result.Content[^2..].ShouldBe(new byte[] { 0xFF, 0xD9 });
    }

    [Fact]
    public void Jpeg_loses_metadata_between_progressive_scans_and_anything_appended_after_its_end()
    {
        // A progressive JPEG: a second scan follows the first, with tables (and here an EXIF segment) between them; phones
        // append more after the end marker (motion-photo video, maker trailers) that carries location too.
        byte[] progressive =
        [
            0xFF, 0xD8,
            0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01, // DQT (kept)
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, // scan 1 (stuffed byte, restart marker)
            0xFF, 0xC4, 0x00, 0x05, 0x00, 0x00, 0x00, // DHT between the scans (kept)
            0xFF, 0xE1, 0x00, 0x0C, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x47, 0x50, 0x53, 0x21, // APP1 Exif "GPS!" (dropped)
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x78, 0x9A, // scan 2 (kept)
            0xFF, 0xD9,
            .. "ftypmp42 GPS 48.1374N 11.5755E"u8.ToArray(), // appended after the end (dropped)
        ];

        var result = ImageSanitizer.Sanitize(progressive);

        result.Problem.ShouldBeNull();
        var text = Encoding.Latin1.GetString(result.Content!);
        text.ShouldNotContain("Exif");
        text.ShouldNotContain("GPS");
        text.ShouldNotContain("ftyp");
        result.Content![^2..].ShouldBe(new byte[] { 0xFF, 0xD9 }, "the file ends at its end marker");
        result.Content.Length.ShouldBe(progressive.Length - 14 - 30, "both scans and the tables between them are kept byte for byte");
    }

    [Fact]
    public void Png_loses_text_exif_and_time_chunks()
    {
        var png = Png(("IHDR", new byte[13]), ("tEXt", "Author\0Ann"u8.ToArray()), ("eXIf", "GPS"u8.ToArray()), ("tIME", new byte[7]), ("IDAT", new byte[] { 1, 2, 3 }), ("IEND", []));

        var result = ImageSanitizer.Sanitize(png);

        result.Problem.ShouldBeNull();
        result.ContentType.ShouldBe("image/png");
        var text = Encoding.Latin1.GetString(result.Content!);
        text.ShouldNotContain("tEXt");
        text.ShouldNotContain("Author");
        text.ShouldNotContain("eXIf");
        text.ShouldNotContain("tIME");
        text.ShouldContain("IDAT");
        text.ShouldEndWith("IEND\0\0\0\0");
    }

    [Fact]
    public void WebP_loses_exif_and_xmp_chunks_and_their_flags()
    {
        var vp8x = new byte[10];
        vp8x[0] = 0x08 | 0x04 | 0x10; // EXIF, XMP and alpha flags
        var webp = WebP(("VP8X", vp8x), ("VP8 ", new byte[] { 1, 2, 3 }), ("EXIF", "GPS 48.1"u8.ToArray()), ("XMP ", "<x:xmpmeta/>"u8.ToArray()));

        var result = ImageSanitizer.Sanitize(webp);

        result.Problem.ShouldBeNull();
        result.ContentType.ShouldBe("image/webp");
        var bytes = result.Content!;
        var text = Encoding.Latin1.GetString(bytes);
        text.ShouldNotContain("EXIF");
        text.ShouldNotContain("GPS");
        text.ShouldNotContain("xmpmeta");
        text.ShouldContain("VP8 ");
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4, 4)).ShouldBe((uint)(bytes.Length - 8), "the RIFF size is rewritten");
        bytes[20].ShouldBe((byte)0x10, "EXIF and XMP flags cleared, alpha kept");
    }

    [Theory]
    [InlineData("GIF89a......")]
    [InlineData("<svg xmlns='http://www.w3.org/2000/svg'/>")]
    [InlineData("MZ\u0090\0 an exe renamed to photo.jpg")]
    [InlineData("")]
    public void Anything_else_is_not_an_image_whatever_its_name(string content)
    {
        var result = ImageSanitizer.Sanitize(Encoding.Latin1.GetBytes(content));
        result.Problem.ShouldBe(ImageSanitizer.NotAnImage);
        result.Content.ShouldBeNull();
    }

    [Fact]
    public void Truncated_or_lying_files_are_refused()
    {
        ImageSanitizer.Sanitize(Jpeg[..30]).Problem.ShouldBe(ImageSanitizer.Damaged);
        var png = Png(("IHDR", new byte[13]), ("IEND", []));
        ImageSanitizer.Sanitize(png[..^12]).Problem.ShouldBe(ImageSanitizer.Damaged, "no IEND");
        var webp = WebP(("VP8 ", new byte[] { 1, 2, 3 }));
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(4, 4), 4000);
        ImageSanitizer.Sanitize(webp).Problem.ShouldBe(ImageSanitizer.Damaged, "RIFF size beyond the file");
        var hugeChunk = WebP(("VP8 ", []));
        BinaryPrimitives.WriteUInt32LittleEndian(hugeChunk.AsSpan(16, 4), uint.MaxValue);
        ImageSanitizer.Sanitize(hugeChunk).Problem.ShouldBe(ImageSanitizer.Damaged, "a chunk of 4 GiB (its padded size must not wrap to 0)");
    }

    private static byte[] Png(params (string Type, byte[] Data)[] chunks)
    {
        var bytes = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        foreach (var (type, data) in chunks)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
            bytes.AddRange(length);
            bytes.AddRange(Encoding.ASCII.GetBytes(type));
            bytes.AddRange(data);
            bytes.AddRange(new byte[4]);
        }

        return [.. bytes];
    }

    private static byte[] WebP(params (string FourCc, byte[] Data)[] chunks)
    {
        var body = new List<byte>();
        body.AddRange("WEBP"u8.ToArray());
        foreach (var (fourCc, data) in chunks)
        {
            var size = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)data.Length);
            body.AddRange(Encoding.ASCII.GetBytes(fourCc));
            body.AddRange(size);
            body.AddRange(data);
            if (data.Length % 2 == 1)
            {
                body.Add(0);
            }
        }

        var header = new byte[8];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)body.Count);
        return [.. header, .. body];
    }
}
