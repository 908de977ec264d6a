"""The line under a portfolio table too long for its page: how many plans are left out, the
sentence agreeing in number (one plan: 'Non affiché : 1 autre plan, le moins préoccupant')."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.exports.portfolio import left_out_line
from analytics.i18n import NBSP


def plans(n: int) -> pd.DataFrame:
    return pd.DataFrame({"group": [f"P{k:02d}" for k in range(n)]})


@pytest.mark.parametrize(("total", "shown", "lang", "line"), [
    (5, 5, "en", ""),
    (5, 5, "fr", ""),
    (5, 4, "en", "Not shown: 1 more plan, the healthiest (every plan is in the CSV and XLSX)."),
    (5, 4, "fr", f"Non affiché{NBSP}: 1 autre plan, le moins préoccupant (tous les plans figurent "
                 "dans le CSV et le XLSX)."),
    (15, 3, "en", "Not shown: 12 more plans, the healthiest (every plan is in the CSV and XLSX)."),
    (15, 3, "fr", f"Non affichés{NBSP}: 12 autres plans, les moins préoccupants (tous les plans "
                  "figurent dans le CSV et le XLSX)."),
    (3, 1, "fr", f"Non affichés{NBSP}: 2 autres plans, les moins préoccupants (tous les plans "
                 "figurent dans le CSV et le XLSX)."),
])
def test_the_left_out_line_agrees_with_the_count(total, shown, lang, line):
    frame = plans(total)
    assert left_out_line(frame, frame.head(shown), lang) == line
