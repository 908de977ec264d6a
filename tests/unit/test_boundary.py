"""The core never imports the UI: `analytics` must import without streamlit."""

import subprocess
import sys

import pytest

MODULES = ["analytics", "analytics.cli", "analytics.store", "analytics.writes",
           "analytics.sample", "analytics.settings", "analytics.context"]


@pytest.mark.parametrize("module", MODULES)
def test_analytics_module_does_not_import_streamlit(module):
    code = (f"import importlib, sys; importlib.import_module({module!r}); "
            "sys.exit(1 if any(m == 'streamlit' or m.startswith('streamlit.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_every_analytics_module_is_streamlit_free():
    code = (
        "import importlib, pkgutil, sys, analytics\n"
        "for info in pkgutil.walk_packages(analytics.__path__, 'analytics.'):\n"
        "    if info.name != 'analytics.__main__':\n"
        "        importlib.import_module(info.name)\n"
        "bad = [m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')]\n"
        "sys.exit(1 if bad else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
