"""Draws the app icons into public/icons (run once; the PNGs are committed).

A white cloud with a house in it on the brand blue. Maskable icons keep the
drawing inside the central 80% safe zone.
"""
from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (21, 101, 192, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"


def draw_mark(draw: ImageDraw.ImageDraw, cx: float, cy: float, s: float) -> None:
    """The cloud-and-house mark centred on (cx, cy), s = its width."""
    r = s / 2
    circles = [(-0.42, 0.12, 0.28), (0.0, -0.12, 0.40), (0.42, 0.10, 0.30)]
    for dx, dy, rr in circles:
        x, y, rad = cx + dx * r, cy + dy * r, rr * r
        draw.ellipse([x - rad, y - rad, x + rad, y + rad], fill=WHITE)
    draw.rounded_rectangle([cx - 0.70 * r, cy + 0.05 * r, cx + 0.72 * r, cy + 0.40 * r], radius=0.2 * r, fill=WHITE)
    # house: roof triangle and body
    hw = 0.30 * r
    top = cy - 0.30 * r
    draw.polygon([(cx - hw * 1.35, cy - 0.02 * r), (cx, top), (cx + hw * 1.35, cy - 0.02 * r)], fill=BLUE)
    draw.rectangle([cx - hw, cy - 0.03 * r, cx + hw, cy + 0.30 * r], fill=BLUE)
    draw.rectangle([cx - 0.08 * r, cy + 0.10 * r, cx + 0.08 * r, cy + 0.30 * r], fill=WHITE)


def icon(size: int, maskable: bool) -> Image.Image:
    scale = 4  # draw large, then shrink for smooth edges
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if maskable:
        draw.rectangle([0, 0, big, big], fill=BLUE)
        mark = big * 0.62
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.22, fill=BLUE)
        mark = big * 0.78
    draw_mark(draw, big / 2, big / 2 + big * 0.02, mark)
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192, False).save(OUT / "icon-192.png", optimize=True)
    icon(512, False).save(OUT / "icon-512.png", optimize=True)
    icon(512, True).save(OUT / "maskable-512.png", optimize=True)
    icon(180, True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
