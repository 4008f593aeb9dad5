"""Taking the personal metadata out of an uploaded image file, without touching its pixels.

A phone photo's EXIF says which camera took it, whose it is and where it was taken (GPS); XMP,
IPTC and comments can say as much. Clients and the tools that post for the agency get the files
(and renditions, which copy EXIF), so uploads keep none of it. Only the container is rewritten:
JPEG segments, PNG chunks and WebP chunks are dropped, the compressed picture is copied byte for
byte, so nothing is lost. A JPEG's orientation is kept (in a minimal EXIF block of its own), or
the photo would show sideways. GIF files are left as they are (they carry no camera metadata).
"""

import io
import struct

from PIL import Image

EXIF_ORIENTATION = 0x0112


def without_personal_metadata(data: bytes) -> bytes:
    """`data` with its personal metadata removed; anything not understood is returned as is."""
    try:
        if data.startswith(b"\xff\xd8"):
            return _jpeg(data)
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except (IndexError, struct.error, ValueError):
        pass  # a damaged container: the upload checks refuse it anyway
    return data


# JPEG: APP1 (EXIF, XMP), APP13 (IPTC, Photoshop) and COM segments go; JFIF, ICC (APP2) and Adobe
# (APP14, needed to read CMYK right) stay.
JPEG_DROPPED = {0xE1, 0xED, 0xFE}
JPEG_NO_LENGTH = {0x01, *range(0xD0, 0xD8)}  # TEM, RSTn: markers without a length


def _jpeg(data: bytes) -> bytes:
    orientation = _jpeg_orientation(data)
    out = bytearray(b"\xff\xd8")
    at = 2
    while at < len(data):
        if data[at] != 0xFF:
            raise ValueError("not a marker")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in JPEG_NO_LENGTH:
            out += data[at : at + 2]
            at += 2
            continue
        if marker == 0xDA:  # start of scan: the compressed picture and everything after
            if orientation not in (None, 1):
                out[2:2] = _exif_segment(orientation)
            out += data[at:]
            return bytes(out)
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker not in JPEG_DROPPED:
            out += data[at : at + 2 + length]
        at += 2 + length
    return data  # no scan found: leave it for the checks to refuse


def _jpeg_orientation(data: bytes) -> int | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.getexif().get(EXIF_ORIENTATION)
    except Exception:
        return None


def _exif_segment(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    body = b"Exif\x00\x00" + exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


# PNG: EXIF and text chunks (which hold XMP, authors, comments) and the modification time go.
PNG_DROPPED = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}


def _png(data: bytes) -> bytes:
    out = bytearray(data[:8])
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data):
            raise ValueError("cut short")
        if kind not in PNG_DROPPED:
            out += data[at:end]
        at = end
        if kind == b"IEND":
            break
    return bytes(out)


# WebP: the EXIF and XMP chunks go, and the extended header's flags stop announcing them.
WEBP_DROPPED = {b"EXIF", b"XMP "}
VP8X_EXIF, VP8X_XMP = 0x08, 0x04


def _webp(data: bytes) -> bytes:
    chunks = bytearray()
    at = 12
    while at + 8 <= len(data):
        kind = data[at : at + 4]
        (length,) = struct.unpack("<I", data[at + 4 : at + 8])
        end = at + 8 + length + (length & 1)  # chunks are padded to an even size
        if end > len(data) + 1:
            raise ValueError("cut short")
        chunk = bytearray(data[at:end])
        if kind == b"VP8X":
            chunk[8] &= ~(VP8X_EXIF | VP8X_XMP) & 0xFF
        if kind not in WEBP_DROPPED:
            chunks += chunk
        at = end
    return b"RIFF" + struct.pack("<I", len(chunks) + 4) + b"WEBP" + bytes(chunks)
