"""Render resources/icons/decomp-desk.svg into the PNG sizes desktops want (16 to 512 px) and a Windows
.ico, with Qt's own SVG renderer (no other tool needed). Run after changing the SVG:

    python tools/render_icons.py

The PNGs are committed, so neither a build nor an installed desk ever needs to render them."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # what Windows shows; an .ico holds at most 256 px


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "decomp-desk.svg"))
    if not renderer.isValid():
        print("The SVG could not be read.", file=sys.stderr)
        return 1
    for size in SIZES:
        out = ICONS / f"decomp-desk-{size}.png"
        if not render(renderer, size).save(str(out)):
            print(f"Could not write {out}.", file=sys.stderr)
            return 1
    # Qt's ICO writer stores one image per file; the 256 px one is enough for Windows to scale down.
    if b"ico" in [bytes(f) for f in QImageWriter.supportedImageFormats()]:
        render(renderer, 256).save(str(ICONS / "decomp-desk.ico"), "ICO")
    print(f"Rendered {len(SIZES)} PNG sizes into {ICONS}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
