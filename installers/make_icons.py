"""Draw PaktDesk's app icon: a white document with a blue "P" on a blue rounded square.

Writes ``resources/icons/paktdesk-<size>.png`` for every size Windows needs and a multi-size
``resources/icons/paktdesk.ico``. A build-time tool (needs Pillow); the generated files are committed,
so neither the app nor the bundle build runs this script.

    python installers/make_icons.py [--out resources/icons]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "resources" / "fonts" / "DejaVuSans-Bold.ttf"
SIZES = (16, 24, 32, 48, 64, 128, 256)

BLUE_TOP = (38, 110, 201)
BLUE_BOTTOM = (22, 73, 150)
PAPER = (255, 255, 255)
FOLD = (196, 214, 238)
INK = (22, 73, 150)
LINE = (150, 178, 220)
MASTER = 1024  # drawn large, scaled down with a good filter


def _background(size: int) -> Image.Image:
    """Blue rounded square with a gentle top-to-bottom gradient."""
    gradient = Image.new("RGB", (1, size))
    for y in range(size):
        t = y / (size - 1)
        gradient.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(BLUE_TOP, BLUE_BOTTOM)))
    gradient = gradient.resize((size, size))
    mask = Image.new("L", (size, size), 0)
    inset = round(size * 0.03)
    ImageDraw.Draw(mask).rounded_rectangle((inset, inset, size - 1 - inset, size - 1 - inset),
                                           radius=round(size * 0.2), fill=255)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    image.paste(gradient, (0, 0), mask)
    return image


def _document(image: Image.Image, *, detailed: bool) -> None:
    """The sheet with a folded corner, a big "P" and (when there is room) two text lines."""
    size = image.width
    draw = ImageDraw.Draw(image)
    # Small icons get a larger sheet and letter: at 16 px every pixel of white counts.
    margin_x, margin_y = (0.22, 0.14) if detailed else (0.17, 0.11)
    left, right = size * margin_x, size * (1 - margin_x)
    top, bottom = size * margin_y, size * (1 - margin_y)
    fold = size * (0.16 if detailed else 0.15)
    draw.polygon([(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)],
                 fill=PAPER)
    draw.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=FOLD)

    font = ImageFont.truetype(str(FONT), round(size * (0.46 if detailed else 0.62)))
    cx = (left + right) / 2
    cy = size * (0.45 if detailed else 0.53)
    draw.text((cx, cy), "P", font=font, fill=INK, anchor="mm")

    if detailed:
        thickness = size * 0.035
        for y in (size * 0.70, size * 0.78):
            end = right - size * (0.08 if y < size * 0.75 else 0.18)
            draw.rounded_rectangle((left + size * 0.08, y, end, y + thickness),
                                   radius=thickness / 2, fill=LINE)


def draw_icon(size: int) -> Image.Image:
    """The icon at ``size`` pixels; small sizes drop the text lines so the "P" stays readable."""
    master = _background(MASTER)
    _document(master, detailed=size >= 48)
    return master.resize((size, size), Image.Resampling.LANCZOS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "icons")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    images = {size: draw_icon(size) for size in SIZES}
    for size, image in images.items():
        image.save(args.out / f"paktdesk-{size}.png", optimize=True)
    # Pillow's ICO writer takes the largest image and the list of sizes; hand it every size explicitly
    # through append_images so small sizes use the simplified drawing, not a scaled-down 256 px one.
    largest = images[max(SIZES)]
    largest.save(args.out / "paktdesk.ico", format="ICO", sizes=[(s, s) for s in SIZES],
                 append_images=[images[s] for s in SIZES if s != max(SIZES)])
    print(f"{len(SIZES)} PNGs und paktdesk.ico in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
