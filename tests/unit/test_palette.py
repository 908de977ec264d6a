"""Health colours stay apart for deuteranopes and in greyscale print, and their ink reads."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import numpy as np
import pytest

from analytics.charts.palette import HEALTH_COLORS, ink_on

# Machado, Oliveira & Fernandes (2009), deuteranopia at severity 1.0, on linear RGB.
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                        [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])
SIGNAL = ("red", "amber", "green")


def linear_rgb(color: str) -> np.ndarray:
    c = np.array([int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ linear / WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, simulate: bool) -> float:
    la, lb = linear_rgb(a), linear_rgb(b)
    if simulate:
        la, lb = np.clip(DEUTERANOPIA @ la, 0, 1), np.clip(DEUTERANOPIA @ lb, 0, 1)
    return float(np.linalg.norm(lab(la) - lab(lb)))


def contrast(a: str, b: str) -> float:
    lum = [float(np.array([0.2126, 0.7152, 0.0722]) @ linear_rgb(c)) for c in (a, b)]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


@pytest.mark.parametrize(("a", "b"), list(combinations(SIGNAL, 2)))
def test_red_amber_and_green_differ_for_deuteranopes(a, b):
    assert delta_e(HEALTH_COLORS[a], HEALTH_COLORS[b], simulate=True) >= 25


def test_red_and_amber_are_far_apart_for_deuteranopes():
    assert delta_e(HEALTH_COLORS["red"], HEALTH_COLORS["amber"], simulate=True) >= 40


@pytest.mark.parametrize(("a", "b"), list(combinations(SIGNAL, 2)))
def test_red_amber_and_green_differ_in_greyscale(a, b):
    lightness = [lab(linear_rgb(HEALTH_COLORS[k]))[0] for k in (a, b)]
    assert abs(lightness[0] - lightness[1]) >= 15


@pytest.mark.parametrize("health", list(HEALTH_COLORS))
def test_the_word_on_each_fill_is_readable(health):
    fill = HEALTH_COLORS[health]
    assert contrast(fill, ink_on(fill)) >= 4.5


def test_the_counts_printed_on_the_health_mix_bars_are_readable():
    """The health-mix chart prints each count inside its coloured bar: 4.5:1 or better."""
    import pandas as pd

    from analytics.charts.progress import health_by_domain
    from analytics.context import ViewContext

    groups = pd.DataFrame({"group": ["Fraud"], "items": [5], "actual_pct": [40.0],
                           "planned_pct": [60.0], "variance_pp": [-20.0], "health": ["amber"],
                           **{health: [1] for health in HEALTH_COLORS}})
    figure = health_by_domain(groups, ViewContext(as_of=date(2026, 10, 31)))
    assert len(figure.data) == len(HEALTH_COLORS)
    for trace in figure.data:
        assert contrast(trace.marker.color, trace.textfont.color) >= 4.5, trace.name
