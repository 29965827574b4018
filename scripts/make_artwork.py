"""Render the certificate artwork (SVG, the source) to the PNGs reportlab draws.

Run after changing resources/certificates/*.svg: python scripts/make_artwork.py
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZE = 600  # pixels: sharp at 300 dpi for a 2-inch emblem


def main() -> None:
    QGuiApplication(sys.argv[:1])
    folder = Path(__file__).resolve().parents[1] / "resources" / "certificates"
    for svg in sorted(folder.glob("*.svg")):
        image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        QSvgRenderer(str(svg)).render(painter)
        painter.end()
        image.save(str(svg.with_suffix(".png")))
        print(f"wrote {svg.with_suffix('.png').name}")


if __name__ == "__main__":
    main()
