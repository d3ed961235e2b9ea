"""Read a PNG screenshot with the standard library: size and the colours of its pixels."""

from __future__ import annotations

import operator
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
BYTES_PER_PIXEL = {2: 3, 6: 4}  # 8-bit RGB and RGBA, what browsers write


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rows: list[bytes]  # unfiltered pixel bytes, one entry per row

    def colours(self) -> set[bytes]:
        step = len(self.rows[0]) // self.width
        return {row[i : i + step] for row in self.rows for i in range(0, len(row), step)}


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def _unfilter(kind: int, line: bytes, previous: bytes, bpp: int) -> bytes:
    if kind == 0:
        return line
    if kind == 2:  # Up: the fast path, most rows of a screenshot
        return bytes(map(operator.and_, map(operator.add, line, previous), [255] * len(line)))
    out = bytearray(line)
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        if kind == 1:
            out[i] = (out[i] + left) & 255
        elif kind == 3:
            out[i] = (out[i] + (left + previous[i]) // 2) & 255
        else:
            up_left = previous[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + _paeth(left, previous[i], up_left)) & 255
    return bytes(out)


def read_png(path: Path, max_rows: int | None = None) -> Image:
    """Decode the first `max_rows` rows (all by default) of an 8-bit RGB(A) PNG."""
    data = path.read_bytes()
    assert data.startswith(SIGNATURE), f"{path} is not a PNG"
    position, compressed, header = len(SIGNATURE), bytearray(), b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
    width, height, depth, colour_type = struct.unpack(">IIBB", header[:10])
    assert depth == 8, f"{path}: {depth}-bit channels, not 8"
    assert colour_type in BYTES_PER_PIXEL, f"{path}: colour type {colour_type}, not RGB(A)"
    bpp = BYTES_PER_PIXEL[colour_type]
    raw, stride = zlib.decompress(compressed), width * bpp + 1
    rows, previous = [], bytes(stride - 1)
    for start in range(0, min(height, max_rows or height) * stride, stride):
        previous = _unfilter(raw[start], raw[start + 1 : start + stride], previous, bpp)
        rows.append(previous)
    return Image(width, height, rows)
