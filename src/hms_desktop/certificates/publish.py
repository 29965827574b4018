"""The one way a printout reaches disk: drawn into a temporary file beside its destination and
moved into place only when complete; a failed or cancelled one is overwritten (its pages hold
names) and removed, so nothing half-drawn is ever left behind."""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from hms_desktop.domain.errors import HmsError
from hms_desktop.paths import shred

from .content import SERVICE_NAME


class PrintProblem(HmsError):
    """A printout that could not be saved as asked; nothing was written."""


def publish_pdf(
    out: Path | str,
    title: str,
    draw: Callable[[Canvas], None],
    *,
    pagesize: tuple[float, float],
    error: type[HmsError] = PrintProblem,
    nothing: str = "Nothing was saved.",
    before_publish: Callable[[], None] | None = None,
) -> Path:
    """``draw`` fills the canvas; ``before_publish`` (e.g. storing the records the pages show)
    runs after the file is complete and before it appears — if it fails, no file appears."""
    out = Path(out).expanduser()
    if not out.parent.is_dir():
        raise error(f"The folder {out.parent} does not exist. {nothing}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".printout-", suffix=".pdf", dir=out.parent)
    except OSError as err:
        raise error(f"Can't save in {out.parent}: {err.strerror}. {nothing}") from err
    os.close(fd)
    try:
        canvas = Canvas(tmp, pagesize=pagesize, invariant=1)
        canvas.setTitle(title)
        canvas.setAuthor(SERVICE_NAME)
        draw(canvas)
        canvas.save()
        if before_publish is not None:
            before_publish()
        os.replace(tmp, out)
    except BaseException:
        shred(Path(tmp))
        raise
    return out
