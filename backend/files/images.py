"""Photos checked by their content and re-encoded: orientation applied, EXIF and GPS gone, two JPEG sizes."""
import io
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from backend.errors import invalid

pillow_heif.register_heif_opener()  # iPhones take HEIC

FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
DISPLAY_SIDE = 1600
THUMB_SIDE = 320
QUALITY = 82


@dataclass
class Encoded:
    display: bytes
    thumb: bytes
    width: int
    height: int


def _open(data: bytes, max_pixels: int) -> Image.Image:
    not_a_photo = invalid("file", "This is not a JPEG, PNG, WebP or HEIC photo.", "not_an_image")
    try:
        img = Image.open(io.BytesIO(data), formats=FORMATS)  # reads the header only
        if img.width * img.height > max_pixels:
            raise invalid("file", f"The picture is too large (over {max_pixels / 1_000_000:g} megapixels).",
                          "too_many_pixels")
        img.draft("RGB", (DISPLAY_SIDE, DISPLAY_SIDE))  # JPEG: decode at a smaller scale where it can
        img.load()
    except Image.DecompressionBombError:  # Pillow's own guard, for a header claiming billions of pixels
        raise invalid("file", "The picture is too large.", "too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        # Not a picture, or a damaged or truncated one.
        raise not_a_photo from None
    return img


def _rgb(img: Image.Image) -> Image.Image:
    """JPEG has no transparency: transparent parts become white, not black."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        background = Image.new("RGB", img.size, "white")
        background.paste(img, mask=img.getchannel("A"))
        return background
    return img.convert("RGB")


def _jpeg(img: Image.Image, side: int, icc: bytes | None) -> bytes:
    copy = img.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # Only what is passed here is written: no EXIF, no XMP, no GPS.
    copy.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True, icc_profile=icc)
    return out.getvalue()


def encode(data: bytes, max_pixels: int) -> Encoded:
    img = _open(data, max_pixels)
    # Colours, not metadata: an RGB profile is kept so photos look as taken (others would not fit RGB).
    icc = img.info.get("icc_profile") if img.mode in ("RGB", "RGBA") else None
    try:
        img = _rgb(ImageOps.exif_transpose(img))
    except (OSError, ValueError, SyntaxError):
        raise invalid("file", "This photo could not be read.", "not_an_image") from None
    display = _jpeg(img, DISPLAY_SIDE, icc)
    width, height = Image.open(io.BytesIO(display)).size
    return Encoded(display, _jpeg(img, THUMB_SIDE, icc), width, height)
