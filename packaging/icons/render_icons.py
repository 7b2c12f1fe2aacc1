"""Render Traject's application icon (resources/icons/traject.svg) into the bitmaps the
packages need.

Writes `traject-<size>.png` at 16, 24, 32, 48, 64, 128 and 256 px and a multi-size Windows
`traject.ico` into the output folder given on the command line (created if missing):

    QT_QPA_PLATFORM=offscreen python packaging/icons/render_icons.py build/icons

Every size is rendered from the vector source with Qt's SVG renderer (not scaled down from
the largest bitmap), so the small sizes stay sharp. The ICO is assembled with Pillow from
those same renderings. Nothing binary is kept in the repository: the build runs this script.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
# the icon lives with Traject's data: the window shows it too (app.ui.application)
DEFAULT_SVG = Path(__file__).resolve().parents[2] / "resources" / "icons" / "traject.svg"

# no display is needed to render; must be set before Qt is imported
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402


def render_png(renderer: QSvgRenderer, size: int, target: Path) -> None:
    """One square PNG of `size` px with a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target), "PNG"):
        raise OSError(f"could not write {target}")


def write_ico(pngs: dict[int, Path], target: Path) -> None:
    """A Windows icon holding every rendered size (PNG-compressed entries, as Vista+ reads)."""
    try:
        from PIL import Image
    except ImportError as error:  # Pillow comes with reportlab, a dependency of Traject
        raise SystemExit(f"render_icons.py needs Pillow to write {target.name}: {error}") from None
    images = {size: Image.open(path).convert("RGBA") for size, path in pngs.items()}
    largest = max(images)
    images[largest].save(
        target,
        format="ICO",
        sizes=[(size, size) for size in sorted(images)],
        append_images=[images[size] for size in sorted(images) if size != largest],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="folder for the PNGs and the ICO")
    parser.add_argument("--svg", type=Path, default=DEFAULT_SVG, help="the icon's source")
    args = parser.parse_args(argv)

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841
    renderer = QSvgRenderer(str(args.svg))
    if not renderer.isValid():
        print(f"render_icons.py: {args.svg} is not a valid SVG file", file=sys.stderr)
        return 1

    args.output.mkdir(parents=True, exist_ok=True)
    pngs: dict[int, Path] = {}
    for size in SIZES:
        pngs[size] = args.output / f"traject-{size}.png"
        render_png(renderer, size, pngs[size])
    write_ico(pngs, args.output / "traject.ico")
    print(f"render_icons.py: {len(pngs)} PNGs and traject.ico in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
