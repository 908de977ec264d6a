"""Plotly figures of Work-Plan Pulse; the registry (`CHARTS`, `build_chart`) is handed on
from `analytics.charts.registry`.

Why lazily: `analytics.formatting` reads health labels from `analytics.charts.palette`, and
the chart modules write their numbers with `analytics.formatting`; importing the registry
here on every `import analytics.charts.palette` would load the chart modules before
`formatting` is complete (a load-time cycle). So the names below are imported on first use.
"""

from __future__ import annotations

_REGISTRY_NAMES = ("CHARTS", "ChartSpec", "build_chart")
__all__ = list(_REGISTRY_NAMES)


def __getattr__(name: str):
    if name in _REGISTRY_NAMES:
        from analytics.charts import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'analytics.charts' has no attribute {name!r}")
