#!/usr/bin/env python3
"""tests/render: the SVG of `wmisim trace --svg` drawn by a real browser.

A real call's trace (`wmisim enum --trace` against the embedded server) is turned into SVG by
`wmisim trace --svg`; headless Chromium takes a screenshot of it at the picture's own size,
and the PNG is read back here (zlib and the PNG filters, no imaging library): it must have
the SVG's size, not be blank, and show each lifeline and each arrow where the SVG puts them.
Chromium drawing a broken file shows an empty page or an error page, which fails all three.

--planted checks the checker: a picture with the lanes' lines and the arrows removed must be
refused, as must one whose arrows have no heads, and a blank one.

usage: check-svg-render.py CHROMIUM WMISIM PROVIDER_DIR [--planted]
Exits 77 (skipped) when CHROMIUM is empty: tools/setup.sh installs it.
"""
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

SVG_NS = "{http://www.w3.org/2000/svg}"
DEADLINE_S = 90


def run(argv, env=None, stdin=None, timeout=DEADLINE_S):
    """Runs argv in its own process group, and kills that group when done: Chromium leaves
    helper processes (zygote, GPU, utility) that its main process does not always reap."""
    proc = subprocess.Popen(argv, env=env, stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise SystemExit(f"FAIL: {argv[0]} did not finish in {timeout} s")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return proc.returncode, out, err


def read_png(path):
    """Returns (width, height, rows): rows[y][x] = (r, g, b); 8-bit RGB or RGBA only, which
    is what Chromium writes."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"FAIL: {path} is not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            if depth != 8 or color not in (2, 6):
                raise SystemExit(f"FAIL: PNG depth {depth} color type {color} not handled")
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, p = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


def dark(px):
    # Ink: anything clearly off the white ground. A 1-pixel grey lifeline on a whole
    # coordinate is drawn antialiased over two columns, each a light grey (about #cccccc).
    return min(px) < 235


def svg_shapes(svg_text):
    """The lifelines (dashed grey vertical lines) and the arrows (horizontal lines with a
    marker) that the SVG draws, as integer coordinates."""
    root = ET.fromstring(svg_text)
    width, height = int(root.get("width")), int(root.get("height"))
    lanes, arrows = [], []
    for line in root.iter(SVG_NS + "line"):
        x1, y1, x2, y2 = (int(float(line.get(k))) for k in ("x1", "y1", "x2", "y2"))
        if x1 == x2 and line.get("marker-end") is None:
            lanes.append((x1, y1, y2))
        elif y1 == y2 and line.get("marker-end") is not None:
            arrows.append((x1, x2, y1))
    return width, height, lanes, arrows


def check(png, width, height, lanes, arrows):
    """Returns a list of what is wrong with the screenshot (empty: it renders the picture)."""
    w, h, rows = read_png(png)
    wrong = []
    if (w, h) != (width, height):
        wrong.append(f"screenshot is {w}x{h}, the SVG {width}x{height}")
        return wrong
    n_dark = sum(1 for row in rows for px in row if dark(px))
    if n_dark < w * h // 1000:
        wrong.append(f"blank: only {n_dark} dark pixels of {w * h}")
    for x, y1, y2 in lanes:
        # A dashed lifeline: at least a third of its pixels drawn (the dash is 4 on, 4 off).
        ys = range(y1 + 1, min(y2, h))
        drawn = sum(1 for y in ys if any(dark(rows[y][x + d]) for d in (-1, 0, 1)))
        if drawn * 3 < len(ys):
            wrong.append(f"lifeline at x={x} not drawn ({drawn} of {len(ys)} pixels)")
    for x1, x2, y in arrows:
        xs = range(min(x1, x2) + 2, max(x1, x2) - 2)
        drawn = sum(1 for x in xs if any(dark(rows[y + d][x]) for d in (-1, 0, 1)))
        if drawn * 3 < len(xs) * 2:
            wrong.append(f"arrow at y={y} from x={x1} to {x2} not drawn ({drawn} of {len(xs)})")
            continue
        # Its head: the marker is 8 stroke widths (12 pixels) long and tall, its tip at x2,
        # so 8 pixels before the tip it is inked 4 pixels above and below the shaft's middle.
        hx = x2 - 8 if x2 > x1 else x2 + 8
        if not (dark(rows[y - 2][hx]) and dark(rows[y + 2][hx])):
            wrong.append(f"arrow at y={y} from x={x1} to {x2} has no head")
    return wrong


def screenshot(chromium, svg_path, png_path, width, height, profile):
    code, _, err = run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", "--force-device-scale-factor=1",
                        f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--screenshot={png_path}", "file://" + svg_path])
    if code != 0 or not os.path.exists(png_path):
        raise SystemExit(f"FAIL: chromium exited {code}: {err.decode(errors='replace')[-2000:]}")


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    chromium, wmisim, provider_dir = sys.argv[1:4]
    planted = "--planted" in sys.argv[4:]
    if not chromium:
        print("SKIP: no chromium (tools/setup.sh installs it)")
        return 77
    env = dict(os.environ, WSIM_PROVIDER_DIR=provider_dir)
    with tempfile.TemporaryDirectory(prefix="wmisim-render-") as tmp:
        code, trace, err = run([wmisim, "enum", "Win32_OperatingSystem", "--trace"], env=env)
        if code != 0:
            raise SystemExit(f"FAIL: wmisim enum --trace exited {code}: {err.decode()}")
        trace_path = os.path.join(tmp, "call.jsonl")
        with open(trace_path, "wb") as f:
            # The trace's lines are on stdout or stderr depending on the format: keep them.
            lines = (trace + b"\n" + err).splitlines()
            f.write(b"\n".join(l for l in lines if l.startswith(b"{")) + b"\n")
        with open(trace_path, "rb") as f:
            code, svg, err = run([wmisim, "trace", "--svg", "-"], env=env, stdin=f)
        if code != 0:
            raise SystemExit(f"FAIL: wmisim trace --svg exited {code}: {err.decode()}")
        width, height, lanes, arrows = svg_shapes(svg.decode())
        if len(lanes) < 2 or len(arrows) < 3:
            raise SystemExit(f"FAIL: the SVG has {len(lanes)} lifelines and {len(arrows)} arrows")
        profile = os.path.join(tmp, "profile")

        def shot(svg_bytes, name):
            svg_path, png_path = os.path.join(tmp, name + ".svg"), os.path.join(tmp, name + ".png")
            with open(svg_path, "wb") as f:
                f.write(svg_bytes)
            screenshot(chromium, svg_path, png_path, width, height, profile)
            return png_path

        if not planted:
            wrong = check(shot(svg, "call"), width, height, lanes, arrows)
            if wrong:
                raise SystemExit("FAIL: " + "; ".join(wrong))
            print(f"ok: {width}x{height}, {len(lanes)} lifelines and {len(arrows)} arrows drawn")
            return 0
        # The checker must refuse a picture without its lines, and a blank one.
        text = svg.decode()
        no_lines = re.sub(r"<line [^>]*/>", "", text).encode()
        no_heads = re.sub(r' marker-end="[^"]*"', "", text).encode()
        blank = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
                 '<rect width="100%" height="100%" fill="#ffffff"/></svg>').encode()
        for name, body in (("no-lines", no_lines), ("no-heads", no_heads), ("blank", blank)):
            wrong = check(shot(body, name), width, height, lanes, arrows)
            if not wrong:
                raise SystemExit(f"FAIL: the checker accepted the {name} picture")
            print(f"ok: the {name} picture is refused: {wrong[0]}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
