"""Render resources/icons/eligo.svg into the icon files the packagers want: eligo.png (Linux),
eligo.ico (Windows) and eligo.icns (macOS), with Qt's own SVG renderer and image writers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer


def render(svg: Path, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def main(out: Path) -> None:
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - image plugins need one
    svg = Path(__file__).resolve().parents[1] / "resources" / "icons" / "eligo.svg"
    out.mkdir(parents=True, exist_ok=True)
    for name, size in (("eligo.png", 256), ("eligo.ico", 256), ("eligo.icns", 512)):
        writer = QImageWriter(str(out / name))
        if not writer.write(render(svg, size)):
            raise SystemExit(f"{name}: {writer.errorString()}")
        print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build") / "icons")
