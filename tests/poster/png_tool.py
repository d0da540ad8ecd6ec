#!/usr/bin/env python3
"""png_tool.py — PNG files for the poster tests, without any imaging
library: reads a PNG whole (signature, IHDR, every IDAT inflated and
unfiltered, so a broken file fails) and writes solid test images.

  png_tool.py info FILE            "WIDTH HEIGHT" of a PNG that decodes
  png_tool.py pixel FILE X Y       the colour at (X, Y) as RRGGBB
  png_tool.py make FILE W H RRGGBB a solid RGB PNG
"""
import struct
import sys
import zlib


def read(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG (magic {data[:8]!r})")
    pos, idat, plte, ihdr = 8, b"", None, None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        if zlib.crc32(kind + chunk) != crc:
            sys.exit(f"{path}: bad CRC in {kind!r}")
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"PLTE":
            plte = [chunk[i:i + 3] for i in range(0, len(chunk), 3)]
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    if interlace:
        sys.exit(f"{path}: interlaced PNGs are not read here")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    bpp = max(1, channels * depth // 8)
    stride = (w * channels * depth + 7) // 8
    raw = zlib.decompress(idat)
    if len(raw) != h * (stride + 1):
        sys.exit(f"{path}: {len(raw)} bytes of pixels, want {h * (stride + 1)}")
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            elif f != 0:
                sys.exit(f"{path}: bad filter {f} in row {y}")
        rows.append(line)
        prev = line

    def pixel(x, y):
        row = rows[y]
        if ctype == 3:
            bit = x * depth
            v = (row[bit // 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1)
            return plte[v].hex().upper()
        if ctype in (2, 6) and depth == 8:
            return row[x * channels:x * channels + 3].hex().upper()
        if ctype in (0, 4) and depth == 8:
            return (bytes([row[x * channels]]) * 3).hex().upper()
        sys.exit(f"{path}: colour type {ctype} depth {depth} not read here")

    return w, h, pixel


def make(path, w, h, rgb):
    color = bytes.fromhex(rgb)
    raw = b"".join(b"\x00" + color * w for _ in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "info":
        w, h, _ = read(sys.argv[2])
        print(w, h)
    elif cmd == "pixel":
        _, _, pixel = read(sys.argv[2])
        print(pixel(int(sys.argv[3]), int(sys.argv[4])))
    elif cmd == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        sys.exit(__doc__)
