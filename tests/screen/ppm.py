"""Pictures for the screen tests, with the Python standard library only: QEMU's binary PPM
screendumps (P6, 8-bit), comparison, a difference image, and PNG output through zlib."""

import struct
import zlib


class Image:
    def __init__(self, width, height, rgb):
        if len(rgb) != width * height * 3:
            raise ValueError("%dx%d image with %d bytes" % (width, height, len(rgb)))
        self.width, self.height, self.rgb = width, height, bytes(rgb)

    def colours(self, limit=None):
        """The set of distinct pixel values (stops growing at limit)."""
        seen = set()
        rgb = self.rgb
        for i in range(0, len(rgb), 3):
            seen.add(rgb[i:i + 3])
            if limit and len(seen) >= limit:
                break
        return seen


def _tokens(data, count):
    """The first count whitespace-separated header fields of a PPM and where the data starts."""
    fields, i = [], 0
    while len(fields) < count:
        while data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] == b"#":
            while data[i:i + 1] not in (b"\n", b""):
                i += 1
            continue
        start = i
        while i < len(data) and not data[i:i + 1].isspace():
            i += 1
        fields.append(data[start:i])
    return fields, i + 1  # one whitespace byte ends the header


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    (magic, w, h, maxval), start = _tokens(data, 4)
    if magic != b"P6" or int(maxval) != 255:
        raise ValueError("%s: not an 8-bit binary PPM" % path)
    w, h = int(w), int(h)
    return Image(w, h, data[start:start + w * h * 3])


def write_ppm(path, image):
    with open(path, "wb") as f:
        f.write(b"P6\n%d %d\n255\n" % (image.width, image.height))
        f.write(image.rgb)


def write_png(path, image):
    """Truecolour 8-bit PNG, no filtering, one zlib stream."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff))

    stride = image.width * 3
    raw = b"".join(b"\0" + image.rgb[y * stride:(y + 1) * stride] for y in range(image.height))
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
                chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def difference(a, b):
    """(count of differing pixels, bounding box (x0, y0, x1, y1) or None, difference image).
    The image shows a's picture dimmed to a third, with differing pixels in pure red; when the
    sizes differ it covers the area both share and every pixel outside it counts."""
    w, h = min(a.width, b.width), min(a.height, b.height)
    out = bytearray(w * h * 3)
    count = a.width * a.height + b.width * b.height - 2 * w * h
    box = None
    for y in range(h):
        ra = a.rgb[y * a.width * 3:(y * a.width + w) * 3]
        rb = b.rgb[y * b.width * 3:(y * b.width + w) * 3]
        row = y * w * 3
        if ra == rb:
            out[row:row + w * 3] = bytes(v // 3 for v in ra)
            continue
        for x in range(w):
            pa, pb = ra[x * 3:x * 3 + 3], rb[x * 3:x * 3 + 3]
            o = row + x * 3
            if pa == pb:
                out[o:o + 3] = bytes(v // 3 for v in pa)
            else:
                out[o:o + 3] = b"\xff\x00\x00"
                count += 1
                if box is None:
                    box = [x, y, x, y]
                else:
                    box = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)]
    return count, box, Image(w, h, out)
