"""A corpus of hostile and malformed image uploads, generated (nothing binary is kept in the
repository): what an attacker, a broken export or a phone's camera sends. Used by the upload tests
(brands/tests/test_hostile_uploads.py) and by benchmarks/uploads.py, which measures the server's
memory while it reads them.

Each case is refused with a message saying what is wrong, or accepted and safe."""

import io
import struct
import zlib
from dataclasses import dataclass

from PIL import Image

FORMATS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}

# What the refusals say (brands/image_forms.py, and Wagtail's own image field).
DAMAGED = "This file is damaged or not a complete image"
UNSAFE = "This image can’t be opened safely"
UNSUPPORTED = "Not a supported image format"
NOT_AN_IMAGE = "Upload a valid image"
MISMATCH = "The extension does not match the file format"
TOO_MANY_PIXELS = "This image is too large to use"
TOO_BIG_FILE = "This file is too big"
EMPTY = "The submitted file is empty"


@dataclass(frozen=True)
class Upload:
    name: str  # the case, for test ids
    file_name: str
    data: bytes
    refusal: str | None = None  # None: accepted (and then it must be safe)


def encode(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def photo(format: str = "JPEG", size=(640, 480), mode="RGB", **params) -> bytes:
    """Photo-like noise (compresses badly, so a cut file has a body to lose)."""
    image = Image.effect_noise(size, 60).convert(mode if mode != "I;16" else "L")
    if mode == "I;16":
        image = image.point(lambda value: value * 256, "I").convert("I;16")
    return encode(image, format, **params)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int, *, idat: bytes = b"") -> bytes:
    """A PNG header declaring any size, with whatever pixel data follows (a bomb, or nothing)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    )


def png_bomb(width: int, height: int) -> bytes:
    """A real, valid 1-bit PNG: a few KB as a file, width×height pixels once decoded."""
    return encode(Image.new("1", (width, height)), "PNG")


def jpeg_declaring(width: int, height: int) -> bytes:
    """A JPEG whose frame header claims width×height (the scan data is a tiny image's)."""
    data = bytearray(photo(size=(16, 16)))
    at = data.index(b"\xff\xc0")  # baseline frame header: length(2) precision(1) height(2) width(2)
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_declaring(width: int, height: int) -> bytes:
    """A GIF with a tiny frame on a logical screen of width×height."""
    data = bytearray(encode(Image.new("P", (4, 4)), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def many_frame_gif(frames: int, size=(160, 160)) -> bytes:
    """A GIF of `frames` frames, made by repeating the bytes of one frame (encoding thousands of
    frames would take seconds)."""
    first, second = Image.new("P", size, 1), Image.new("P", size, 2)
    data = encode(first, "GIF", save_all=True, append_images=[second], duration=40, optimize=False)
    start = data.index(b"\x21\xf9", data.index(b"\x21\xf9") + 1)  # the second frame's control block
    frame = data[start:-1]  # up to the trailer
    return data[:-1] + frame * (frames - 2) + b"\x3b"


def webp_declaring(width: int, height: int) -> bytes:
    """A lossy WebP whose frame header claims width×height (14 bits each, up to 16383)."""
    data = bytearray(encode(Image.new("RGB", (16, 16)), "WEBP", quality=50))
    at = data.index(b"\x9d\x01\x2a") + 3  # VP8 start code, then width and height
    data[at : at + 4] = struct.pack("<HH", width, height)
    return bytes(data)


def animation(format: str, frames: int, size=(200, 200), **params) -> bytes:
    # Every frame a different colour: encoders merge identical frames.
    colours = [((index * 53) % 256, (index * 97) % 256, (index * 31) % 256) for index in range(frames)]
    images = [Image.new("RGB", size, colour) for colour in colours]
    return encode(images[0], format, save_all=True, append_images=images[1:], **params)


def with_gps() -> bytes:
    """A phone photo: EXIF with the camera, the owner and where it was taken."""
    image = Image.effect_noise((640, 480), 60).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Jo Client, 12 Private Road"  # Artist
    gps = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 40.0)}
    exif[0x8825] = gps  # GPSInfo
    return encode(image, "JPEG", exif=exif.tobytes())


def rotated_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: a quarter turn
    return encode(Image.effect_noise((640, 480), 60).convert("RGB"), "JPEG", exif=exif.tobytes())


def bad_crc_png() -> bytes:
    data = bytearray(photo("PNG"))
    at = data.index(b"IDAT") + 4 + 10
    data[at] ^= 0xFF  # a flipped byte in the pixel data: its CRC no longer matches
    return bytes(data)


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>'
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
GIF_JS_POLYGLOT = b"GIF89a/*\x00\x00\x00\x00*/=alert(document.domain);//" + b"\x00" * 64


def corpus() -> list[Upload]:
    cases: list[Upload] = []
    for extension, format in FORMATS.items():
        data = photo(format)
        cases += [
            Upload(f"truncated-{extension}", f"cut.{extension}", data[: len(data) // 2], DAMAGED),
            Upload(f"tail-missing-{extension}", f"tail.{extension}", data[:-40], DAMAGED),
            Upload(f"header-only-{extension}", f"head.{extension}", data[:24], None),
        ]
    cases = [case for case in cases if case.refusal] + [
        Upload("header-only-jpg", "head.jpg", photo()[:200], DAMAGED),
        Upload("gif-signature-only", "sig.gif", b"GIF89a", DAMAGED),
        Upload("riff-header-only", "sig.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", DAMAGED),
        Upload("zero-bytes", "empty.jpg", b"", EMPTY),
        Upload("random-bytes", "noise.webp", bytes(range(256)) * 40, NOT_AN_IMAGE),
        Upload("text-named-jpg", "notes.jpg", b"Meeting notes, not a picture.\n" * 20, NOT_AN_IMAGE),
        Upload("html-named-jpg", "page.jpg", HTML, NOT_AN_IMAGE),
        Upload(
            "pdf-named-jpg",
            "brief.jpg",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 8,
            NOT_AN_IMAGE,
        ),
        Upload("svg", "logo.svg", SVG, UNSUPPORTED),
        Upload("svg-named-png", "logo.png", SVG, MISMATCH),
        Upload("gif-js-polyglot", "avatar.gif", GIF_JS_POLYGLOT, DAMAGED),
        Upload("php-double-extension", "photo.jpg.php", photo(), UNSUPPORTED),
        Upload("html-extension", "photo.html", photo(), UNSUPPORTED),
        Upload("png-named-jpg", "photo.jpg", photo("PNG"), MISMATCH),
        Upload("jpeg-named-png", "photo.png", photo(), MISMATCH),
        Upload("gif-named-webp", "photo.webp", encode(Image.new("P", (64, 64)), "GIF"), MISMATCH),
        Upload("bmp-named-jpg", "photo.jpg", encode(Image.new("RGB", (64, 64)), "BMP"), MISMATCH),
        Upload("bmp", "photo.bmp", encode(Image.new("RGB", (64, 64)), "BMP"), UNSUPPORTED),
        Upload("tiff", "scan.tiff", encode(Image.new("RGB", (64, 64)), "TIFF"), UNSUPPORTED),
        Upload("tiff-named-jpg", "scan.jpg", encode(Image.new("RGB", (64, 64)), "TIFF"), MISMATCH),
        Upload("ico-named-png", "favicon.png", encode(Image.new("RGB", (32, 32)), "ICO"), MISMATCH),
        Upload("no-extension", "photo", photo("PNG"), UNSUPPORTED),
        Upload("png-bad-crc", "crc.png", bad_crc_png(), DAMAGED),
        Upload("png-zero-width", "flat.png", png_declaring(0, 100), DAMAGED),
        Upload("png-declares-huge-no-data", "liar.png", png_declaring(30000, 30000), TOO_MANY_PIXELS),
        Upload("png-bomb-144mp", "bomb.png", png_bomb(12000, 12000), TOO_MANY_PIXELS),
        Upload("png-bomb-48mp", "big.png", png_bomb(8000, 6000), TOO_MANY_PIXELS),
        Upload("jpeg-declares-65500-square", "liar.jpg", jpeg_declaring(65500, 65500), TOO_MANY_PIXELS),
        Upload("gif-screen-65535-square", "liar.gif", gif_declaring(65535, 65535), TOO_MANY_PIXELS),
        Upload("webp-16383-square", "huge.webp", webp_declaring(16383, 16383), TOO_MANY_PIXELS),
        Upload("gif-3000-frames", "flipbook.gif", many_frame_gif(3000), TOO_MANY_PIXELS),
        Upload(
            "webp-1200-frames",
            "flipbook.webp",
            animation("WEBP", 1200, (200, 200), quality=1),
            TOO_MANY_PIXELS,
        ),
        Upload("apng-12-huge-frames", "flipbook.png", animation("PNG", 12, (2000, 2000)), TOO_MANY_PIXELS),
        Upload(
            "over-the-size-limit",
            "huge.jpg",
            photo(size=(64, 64)) + b"\x00" * (21 * 1024 * 1024),
            TOO_BIG_FILE,
        ),
    ]
    good = photo()
    cases += [
        Upload("cmyk-jpeg", "print.jpg", photo(mode="CMYK")),
        Upload("16-bit-png", "deep.png", photo("PNG", mode="I;16")),
        Upload("greyscale-jpeg", "grey.jpg", photo(mode="L")),
        Upload(
            "palette-png-transparent", "logo.png", encode(Image.new("P", (120, 120)), "PNG", transparency=0)
        ),
        Upload("la-png", "mark.png", photo("PNG", mode="LA")),
        Upload("one-pixel", "dot.png", encode(Image.new("RGB", (1, 1), (255, 0, 0)), "PNG")),
        Upload("progressive-jpeg", "prog.jpg", photo(progressive=True)),
        Upload("exif-gps", "from-my-phone.jpg", with_gps()),
        Upload("exif-rotated", "rotated.jpg", rotated_exif()),
        Upload("small-animated-gif", "loop.gif", animation("GIF", 10, (120, 120))),
        Upload("png-with-html-appended", "trail.png", photo("PNG") + HTML),
        Upload("jpeg-with-zip-appended", "trail.jpg", good + b"PK\x03\x04" + b"\x00" * 200),
        Upload("uppercase-extension", "PHOTO.JPG", good),
        Upload("path-traversal", "../../../../etc/cron.d/photo.jpg", good),
        Upload("windows-path-traversal", "..\\..\\windows\\photo.jpg", good),
        Upload("very-long-name", "a" * 300 + ".jpg", good),
        Upload("unicode-rtl-name", "photo\u202egnp.jpg", good),
        Upload("reserved-device-name", "CON.jpg", good),
        Upload("spaces-and-quotes", "my \"best\" 'photo' <1>.jpg", good),
    ]
    return cases
