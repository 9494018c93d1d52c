#!/usr/bin/env python3
"""Draw the service's favicon: a white speech bubble on the council blue, as SVG and as a 32x32 ICO.

Run from the repository root: `python3 scripts/make-favicon.py` (standard library only). It writes
voice_service/web/static/favicon.svg and favicon.ico; both are committed, so this is only needed
to change the icon. (Not the GOV.UK crown: that is for GOV.UK's own services.)
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "voice_service" / "web" / "static"
BLUE = (29, 112, 184)
WHITE = (255, 255, 255)
SIZE = 32

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#1d70b8"/>
<ellipse cx="16" cy="14" rx="11" ry="8.5" fill="#fff"/>
<path d="M9 19 L7 28 L16 21 Z" fill="#fff"/>
</svg>
"""


def _inside_triangle(x: float, y: float) -> bool:
    (ax, ay), (bx, by), (cx, cy) = (9, 19), (7, 28), (16, 21)

    def side(px, py, qx, qy):
        return (x - qx) * (py - qy) - (px - qx) * (y - qy)

    d1, d2, d3 = side(ax, ay, bx, by), side(bx, by, cx, cy), side(cx, cy, ax, ay)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def _pixel(x: int, y: int) -> tuple[int, int, int, int]:
    px, py = x + 0.5, y + 0.5
    # Rounded corners: transparent outside a 6px radius.
    for cx, cy in ((6, 6), (26, 6), (6, 26), (26, 26)):
        if (px < 6 or px > 26) and (py < 6 or py > 26) and abs(px - cx) <= 6 and abs(py - cy) <= 6:
            if (px - cx) ** 2 + (py - cy) ** 2 > 36 and (px < 6) == (cx == 6) and (py < 6) == (cy == 6):
                return (0, 0, 0, 0)
    if ((px - 16) / 11) ** 2 + ((py - 14) / 8.5) ** 2 <= 1 or _inside_triangle(px, py):
        return (*WHITE, 255)
    return (*BLUE, 255)


def png() -> bytes:
    """The icon as a 32x32 RGBA PNG."""
    rows = b"".join(b"\x00" + b"".join(bytes(_pixel(x, y)) for x in range(SIZE)) for y in range(SIZE))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def ico(image: bytes) -> bytes:
    """An ICO holding one PNG image (understood by every current browser)."""
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 22) + image


if __name__ == "__main__":
    (STATIC / "favicon.svg").write_text(SVG, encoding="utf-8")
    (STATIC / "favicon.ico").write_bytes(ico(png()))
    print(f"wrote {STATIC / 'favicon.svg'} and {STATIC / 'favicon.ico'}")
