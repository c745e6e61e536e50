"""Hostile files, made for real with Pillow: every path that takes a file meets all of them.

Each case is a file name, its bytes and the reason a refusal must give. A refusal names
an upload by its name in quotes (“bomb.png” has …) and a photo inside an archive by where
it is (Photo 1 of entry “…” (2025, January–April) has …), then gives the same reason.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from typing import NamedTuple

from PIL import Image


def _encode(image: Image.Image, fmt: str, **save_kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    data = _encode(Image.effect_noise((400, 300), 60).convert("RGB"), "JPEG")
    return data[: len(data) // 2]


def bomb_png(width: int = 50_000, height: int = 50_000) -> bytes:
    """A tiny PNG whose header claims a huge picture: 2.5 gigapixels in under 100 bytes."""
    data = bytearray(_encode(Image.new("L", (1, 1)), "PNG"))
    struct.pack_into(">II", data, 16, width, height)  # IHDR data follows the 8-byte signature
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + payload))
    return struct.pack(">I", len(payload)) + kind + payload + crc


def padded_png(padding: int = 5_000_000) -> bytes:
    """A real one-pixel PNG carrying megabytes of zeros in a private chunk: a zip bomb's cargo."""
    data = _encode(Image.new("RGB", (1, 1), "white"), "PNG")
    return data[:33] + png_chunk(b"zzZz", b"\0" * padding) + data[33:]


@functools.cache
def long_animation(frames: int = 60, size: tuple[int, int] = (2000, 2000)) -> bytes:
    """A GIF of 60 full frames of 2000 × 2000 pixels, each a different colour from the last."""
    palette = [255, 0, 0, 0, 0, 255] + [0] * 762
    images = []
    for number in range(frames):
        image = Image.new("P", size, number % 2)
        image.putpalette(palette)
        images.append(image)
    return _encode(images[0], "GIF", save_all=True, append_images=images[1:], duration=50)


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'
HTML = b"<!doctype html><title>hi</title><script>alert(1)</script>"
NOT_A_PHOTO = "is not a JPEG, PNG, WebP, GIF or HEIC photo."


class Hostile(NamedTuple):
    name: str
    data: bytes
    reason: str  # what the refusal says after naming the file


def hostile_files() -> list[Hostile]:
    return [
        Hostile("bomb.png", bomb_png(), "has more pixels than the limit of 40 megapixels."),
        Hostile("empty.jpg", b"", "is empty."),
        Hostile("page.jpg", HTML, NOT_A_PHOTO),
        Hostile("drawing.png", SVG, "is an SVG drawing; SVG files are not accepted, only photos."),
        Hostile("cut.jpg", truncated_jpeg(), "could not be read as a photo — it may be damaged."),
        Hostile("notes.heic", b"Shopping: milk, eggs, flour.\n" * 20, NOT_A_PHOTO),
        Hostile("scan.bmp", _encode(Image.new("RGB", (900, 900), "white"), "BMP"), NOT_A_PHOTO),
        Hostile("scan.tiff", _encode(Image.new("RGB", (900, 900), "white"), "TIFF"), NOT_A_PHOTO),
        Hostile(
            "loop.gif",
            long_animation(),
            "is an animation of 60 frames of 2000 × 2000 pixels, 240 megapixels in all; "
            "an animation may hold 40 megapixels in all. Only its first frame would be kept: "
            "save that frame as a still photo and add it instead.",
        ),
    ]


HOSTILE = hostile_files()
HOSTILE_IDS = [case.name for case in HOSTILE]
