"""Settings: environment parsing, and the README table agrees with the dataclass."""

import re
from pathlib import Path

import pytest

from analytics.settings import Settings, settings_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_match_the_metric_definitions():
    s = Settings()
    assert (s.red_variance_pp, s.amber_variance_pp, s.stale_days) == (-25.0, -10.0, 45)
    assert s.max_upload_mb == 50 and s.port == 8501 and s.auth == "none"


@pytest.mark.parametrize(
    ("env", "field", "expected"),
    [
        ({"WORKPLAN_STALE_DAYS": "60"}, "stale_days", 60),
        ({"WORKPLAN_RED_VARIANCE_PP": "-30.5"}, "red_variance_pp", -30.5),
        ({"WORKPLAN_DB": "/tmp/x.duckdb"}, "db_path", "/tmp/x.duckdb"),
        ({"WORKPLAN_AUTH": "password"}, "auth", "password"),
        ({"WORKPLAN_STALE_DAYS": ""}, "stale_days", 45),
    ],
)
def test_from_env_reads_each_variable(env, field, expected):
    assert getattr(Settings.from_env(env), field) == expected


def test_from_env_rejects_a_bad_number_with_its_variable_name():
    with pytest.raises(ValueError, match="WORKPLAN_STALE_DAYS"):
        Settings.from_env({"WORKPLAN_STALE_DAYS": "soon"})


def test_overrides_win_over_the_environment():
    assert Settings.from_env({"WORKPLAN_STALE_DAYS": "60"}, stale_days=10).stale_days == 10


def test_every_setting_is_in_the_readme_table_and_nothing_else():
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\|\s*`([A-Z_]+)`\s*\|", text, flags=re.M))
    declared = {row["env"] for row in settings_table()}
    assert declared == documented
