"""The demo's pictures, drawn rather than stored: landscapes for photos, initials for avatars."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageColor, ImageDraw, ImageFont

PHOTO_SIZE = (1200, 800)
AVATAR_SIZE = 512


@dataclass(frozen=True)
class Scene:
    """A landscape drawn from a few shapes: sky, sun, mountain ridges, sea."""

    sky: tuple[str, str]  # top, horizon
    sun: tuple[str, float, float, float] | None = None  # colour, x, y, radius (fractions)
    ridges: tuple[str, ...] = ()  # colours, back to front
    sea: tuple[str, str] | None = None  # horizon, shore
    horizon: float = 0.62
    seed: int = 1


SCENES = {
    "jeju_sunset": Scene(
        sky=("#2b2d6e", "#f7a072"),
        sun=("#ffd27a", 0.68, 0.56, 0.07),
        ridges=("#6b4e71",),
        sea=("#3d5a80", "#1b2a41"),
        seed=3,
    ),
    "jeju_noon": Scene(
        sky=("#4aa3df", "#cdeefd"),
        sun=("#fffbe0", 0.2, 0.18, 0.05),
        sea=("#2ec4b6", "#0b6e70"),
        horizon=0.5,
        seed=4,
    ),
    "jirisan_ridge": Scene(
        sky=("#7fb3d5", "#eaf2f8"),
        sun=("#fff6d5", 0.8, 0.12, 0.05),
        ridges=("#a9b8c9", "#6c8a9e", "#3e5c48", "#1f3326"),
        horizon=0.45,
        seed=7,
    ),
    "jirisan_dawn": Scene(
        sky=("#1e2a5a", "#ff9a76"),
        sun=("#ffe29a", 0.45, 0.6, 0.06),
        ridges=("#8a6f8f", "#4f4566", "#2a2540"),
        horizon=0.6,
        seed=8,
    ),
    "gangneung_dawn": Scene(
        sky=("#41436a", "#fdc5a3"),
        sun=("#ffb36b", 0.3, 0.63, 0.05),
        sea=("#5c6f99", "#22304d"),
        horizon=0.64,
        seed=9,
    ),
    "river_blossom": Scene(
        sky=("#f6b7c8", "#fde9ef"),
        ridges=("#c98fa7", "#8f6f8f"),
        sea=("#9bb7d4", "#5b7ea6"),
        horizon=0.58,
        seed=11,
    ),
    "busan_morning": Scene(
        sky=("#86c5f0", "#fef6e4"),
        sun=("#fff3b0", 0.75, 0.35, 0.06),
        ridges=("#7b93a8",),
        sea=("#3a86c8", "#12436b"),
        horizon=0.55,
        seed=12,
    ),
    "busan_dusk": Scene(
        sky=("#3b1f4a", "#f28f3b"),
        sun=("#ffcf56", 0.55, 0.66, 0.08),
        sea=("#6b3f69", "#2d1b33"),
        horizon=0.68,
        seed=13,
    ),
    "first_snow": Scene(
        sky=("#9fb4c7", "#f4f6f8"),
        ridges=("#e9eef3", "#c5d1dc", "#8797a8"),
        horizon=0.5,
        seed=17,
    ),
    "still_lake": Scene(
        sky=("#5d8fc2", "#dce9f5"),
        sun=("#fffae6", 0.3, 0.22, 0.04),
        ridges=("#4f7a5a", "#2f4f3a"),
        sea=("#6f9fc9", "#2d4f6e"),
        horizon=0.52,
        seed=19,
    ),
    "summer_hills": Scene(
        sky=("#2f80ed", "#bfe3ff"),
        sun=("#fffde7", 0.15, 0.15, 0.06),
        ridges=("#9ccc65", "#689f38", "#33691e"),
        horizon=0.5,
        seed=23,
    ),
}


def _rgb(colour: str) -> tuple[int, int, int]:
    return ImageColor.getrgb(colour)[:3]


def _gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    """A vertical gradient, built as one column and stretched: far faster than per-line drawing."""
    width, height = size
    (r1, g1, b1), (r2, g2, b2) = _rgb(top), _rgb(bottom)
    column = Image.new("RGB", (1, height))
    column.putdata(
        [
            (
                r1 + (r2 - r1) * y // max(height - 1, 1),
                g1 + (g2 - g1) * y // max(height - 1, 1),
                b1 + (b2 - b1) * y // max(height - 1, 1),
            )
            for y in range(height)
        ]
    )
    return column.resize((width, height))


def _ridge(rng: random.Random, width: int, base: int, rise: int) -> list[tuple[int, int]]:
    """A mountain skyline: two slow waves for the shape, a little jitter for the rock."""
    waves = [(rng.uniform(1.5, 3.5), rng.uniform(0, math.tau), 0.28), (7, rng.uniform(0, 6), 0.1)]
    points = []
    for x in range(0, width + 20, 20):
        t = x / width * math.tau
        shape = 0.55 + sum(size * math.sin(t * speed + phase) for speed, phase, size in waves)
        points.append((x, int(base - rise * (shape + rng.uniform(-0.04, 0.04)))))
    return points


def draw_scene(scene: Scene, size: tuple[int, int] = PHOTO_SIZE) -> bytes:
    """A JPEG landscape, as bytes a phone might have uploaded."""
    width, height = size
    rng = random.Random(scene.seed)
    horizon = int(height * scene.horizon)
    image = _gradient(size, *scene.sky)
    draw = ImageDraw.Draw(image)
    if scene.sun:
        colour, x, y, radius = scene.sun
        cx, cy, r = int(width * x), int(height * y), int(width * radius)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    # Over the sea the ridges stand on the horizon; on land each nearer one stands lower.
    bottom = horizon if scene.sea else height
    for depth, colour in enumerate(scene.ridges):
        base = horizon if scene.sea else horizon + (height - horizon) * depth // len(scene.ridges)
        points = _ridge(rng, width, base, rise=int(height * 0.3 / (depth + 1)))
        draw.polygon([(0, bottom), *points, (width, bottom)], fill=colour)
    if scene.sea:
        image.paste(_gradient((width, height - horizon), *scene.sea), (0, horizon))
        if scene.sun:  # the sun's glitter on the water
            cx = int(width * scene.sun[1])
            for y in range(horizon + 8, height, 14):
                half = rng.randint(10, 60)
                draw.line((cx - half, y, cx + half, y), fill=scene.sun[0], width=3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def draw_avatar(initials: str, top: str, bottom: str) -> bytes:
    image = _gradient((AVATAR_SIZE, AVATAR_SIZE), top, bottom)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=AVATAR_SIZE // 3)
    centre = AVATAR_SIZE // 2
    draw.text((centre, centre), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# --- Content -----------------------------------------------------------------
