"""Question pictures: a file uploaded by staff, kept through Django's storage API (STORAGES["default"]:
the file system under MEDIA_ROOT by default, object storage through django-storages when several
servers run, README "Pictures"), with its alt text; or, for older content, an address in image_url.

Files are stored under a random name (questions/<32 hex>.<ext>): a name says nothing about the
question, a replaced picture gets a new name (so browsers may cache a name for ever), and two uploads
never collide. SVG is accepted (our own demo pictures are SVG); browsers never run scripts in an
<img>, and media is served with a sandboxing Content-Security-Policy for anyone opening a file
directly (deploy/nginx, and edtech.urls in development).
"""

import uuid
from pathlib import PurePosixPath
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

MAX_PICTURE_BYTES = 2 * 1024 * 1024
MAX_ALT_LENGTH = 300
# Extension -> what Pillow must recognise in the file (None: SVG, checked as XML).
FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP", "svg": None}
ACCEPT = ",".join(f".{extension}" for extension in FORMATS)
ALT_MISSING = "Describe the picture (alt text): children who cannot see it still need to know what it shows."
FALLBACK_ALT = "Picture for this question"  # only for older image_url content saved without alt text
ALT_HELP = (
    "Required with a picture: what the picture shows, in a sentence a child would understand, for "
    "children who use a screen reader or whose pictures do not load (e.g. “A pizza cut into 8 equal "
    "slices, 3 of them gone”)."
)


def upload_to(instance: Any, filename: str) -> str:
    return f"questions/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


def validate_picture(file: Any) -> None:
    """A PNG, JPEG, GIF, WebP or SVG picture of at most 2 MB, whose content is what its name says."""
    extension = PurePosixPath(file.name).suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise ValidationError(
            f"“{PurePosixPath(file.name).name}” is not a picture we take: use a PNG, JPEG, GIF, WebP or SVG file."
        )
    if file.size > MAX_PICTURE_BYTES:
        raise ValidationError(
            f"The picture is {file.size / 2**20:.1f} MB; the most is {MAX_PICTURE_BYTES // 2**20} MB. "
            "Make it smaller (a picture for a question needs no more than about 1200 pixels across)."
        )
    file.seek(0)
    try:
        if FORMATS[extension] is None:
            root = ElementTree.parse(file).getroot()  # noqa: S314 - staff's upload; expat expands no external entity
            if root.tag.rsplit("}", 1)[-1] != "svg":
                raise ValueError("not an svg root")
        else:
            with Image.open(file) as image:
                if image.format != FORMATS[extension]:
                    raise ValueError(f"a {image.format} file named .{extension}")
                image.verify()
    except (ValueError, ElementTree.ParseError, UnidentifiedImageError, OSError) as error:
        raise ValidationError(
            f"“{PurePosixPath(file.name).name}” is not a readable {extension.upper()} picture: "
            "save it again from your drawing program and upload that file."
        ) from error
    finally:
        file.seek(0)


def picture(image: Any, image_url: str | None, image_alt: str | None) -> dict[str, str] | None:
    """What a page shows: the uploaded file's address and its alt text, else image_url's; None without either.

    `image` is a stored file's name (or a FieldFile); an uploaded file not saved yet has no address.
    """
    if image and getattr(image, "_committed", True):
        return {"url": default_storage.url(str(image)), "alt": image_alt or FALLBACK_ALT}
    if image_url:
        return {"url": image_url, "alt": image_alt or FALLBACK_ALT}
    return None
