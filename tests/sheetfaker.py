"""Synthetic filled answer sheets: the printed lembar-jawaban, filled with PIL from known answers,
rasterised at 150 dpi and spoiled like a phone photo (rotation, perspective, shadow, blur, noise).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from bimtek_kit.results import sheet

DPI = 150
MM = DPI / 25.4
DESK = 95


@dataclass
class Filled:
    """What was drawn on one sheet: the truth the reader must find."""

    nip: str
    answers: dict[int, str]
    """Number -> value, `-` for none, `?` where the sheet was made ambiguous on purpose."""
    ambiguous: dict[int, str] = field(default_factory=dict)
    """Number -> `double` or `faint`."""


def frame_origins(pdf: bytes) -> list[tuple[float, float]]:
    """Top-left of each page's frame in mm, from the corner marks drawn in the PDF."""
    origins = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            marks = [r for r in page.rects
                     if abs(r["width"] - sheet.MARK * 72 / 25.4) < 0.5 and r.get("fill")]
            assert len(marks) == 4, f"page {page.page_number}: {len(marks)} corner marks"
            left = min(r["x0"] for r in marks)
            top = min(r["top"] for r in marks)
            origins.append((left * 25.4 / 72, top * 25.4 / 72))
    return origins


def blank_pages(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    pages = [document[i].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
             for i in range(len(document))]
    document.close()
    return pages


def fill(page: Image.Image, origin: tuple[float, float], layout: sheet.SheetLayout,
         filled: Filled, rng: random.Random) -> Image.Image:
    """Pencil marks for the NIP and the answers; a double or faint mark where asked."""
    image = page.copy()
    draw = ImageDraw.Draw(image)
    for column, digit in zip(layout.nip_columns, filled.nip, strict=True):
        _mark(draw, origin, column[int(digit)], rng)
    for row in layout.rows:
        value = filled.answers[row.number]
        kind = filled.ambiguous.get(row.number)
        by_value = {b.value: b for b in row.bubbles}
        if kind == "double":
            first, second = rng.sample(list(by_value), 2)
            _mark(draw, origin, by_value[first], rng)
            _mark(draw, origin, by_value[second], rng)
        elif kind == "faint":
            _mark(draw, origin, by_value[rng.choice(list(by_value))], rng, shade=175)
        elif value != "-":
            _mark(draw, origin, by_value[value], rng)
    return image


def _mark(draw: ImageDraw.ImageDraw, origin: tuple[float, float], bubble: sheet.Bubble,
          rng: random.Random, shade: int | None = None) -> None:
    radius = rng.uniform(1.55, 1.9)
    x = (origin[0] + bubble.x + rng.uniform(-0.3, 0.3)) * MM
    y = (origin[1] + bubble.y + rng.uniform(-0.3, 0.3)) * MM
    r = radius * MM
    tone = shade if shade is not None else rng.randint(35, 80)
    draw.ellipse((x - r, y - r * rng.uniform(0.85, 1.0), x + r, y + r), fill=tone)


def spoil(image: Image.Image, rng: random.Random) -> Image.Image:
    """Rotate up to ±8°, warp the perspective, shade one side, blur and add noise."""
    import cv2

    rotated = image.rotate(rng.uniform(-8, 8), resample=Image.BICUBIC, expand=True,
                           fillcolor=DESK)
    w, h = rotated.size
    canvas = Image.new("L", (int(w * 1.1), int(h * 1.1)), DESK)
    canvas.paste(rotated, (int(w * 0.05), int(h * 0.05)))
    pixels = np.array(canvas, dtype=np.float32)
    H, W = pixels.shape
    source = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    jitter = [(rng.uniform(-0.04, 0.04) * W, rng.uniform(-0.04, 0.04) * H) for _ in range(4)]
    target = np.float32([[x + dx, y + dy] for (x, y), (dx, dy) in zip(source, jitter,
                                                                        strict=True)])
    matrix = cv2.getPerspectiveTransform(source, target)
    pixels = cv2.warpPerspective(pixels, matrix, (W, H), borderValue=DESK)
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:H, 0:W]
    ramp = (xs * np.cos(angle) + ys * np.sin(angle))
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())
    pixels *= 0.55 + 0.45 * ramp
    pixels = cv2.GaussianBlur(pixels, (0, 0), rng.uniform(0.6, 1.2))
    pixels += np.random.default_rng(rng.randint(0, 2**31)).normal(0, 6, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def save_jpeg(image: Image.Image, path: Path) -> Path:
    image.save(path, "JPEG", quality=82)
    return path
