"""`workplan import --lang`: the warning prefix, the dry-run line and the line under the first
MAX_PRINTED_ERRORS errors are written in the language asked for, the count in the right number.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.cli import main
from analytics.cli.ingest import (
    MAX_PRINTED_ERRORS,
    _print_errors,
    _print_warnings,
    more_errors_line,
)
from analytics.ingest.messages import NOT_IMPORTED, message_in

ITEMS = ("item_id,domain,title,lead_party,owner,start_date,due_date\n"
         "I-1,Fraud,Share typologies,Canada,CAFC,2026-01-01,2026-06-30\n")
# an extra column: the read warns that it is ignored
UPDATES = "item_id,as_of,percent_complete,status,colour\nI-1,2026-03-04,45,G,blue\n"


@pytest.mark.parametrize(("more", "lang", "line"), [
    (1, "en", "... and 1 more error"),
    (12, "en", "... and 12 more errors"),
    (1, "fr", "… et 1 autre erreur"),
    (12, "fr", "… et 12 autres erreurs"),
])
def test_the_line_under_the_printed_errors(more, lang, line):
    assert more_errors_line(more, lang) == line


@pytest.mark.parametrize(("extra", "lang", "last"), [
    (1, "en", "... and 1 more error"),
    (3, "fr", "… et 3 autres erreurs"),
])
def test_errors_past_the_limit_are_counted_in_the_language(capsys, extra, lang, last):
    n = MAX_PRINTED_ERRORS + extra
    errors = pd.DataFrame({"row": range(2, n + 2), "column": ["status"] * n,
                           "message": ["'Purple' is not a status"] * n})
    _print_errors(errors, lang)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == MAX_PRINTED_ERRORS + 1 and lines[-1] == last


@pytest.mark.parametrize(("lang", "prefix"), [("en", "warning: "),
                                              ("fr", "avertissement\u00a0: ")])
def test_a_warning_is_prefixed_in_the_language(capsys, lang, prefix):
    warning = NOT_IMPORTED.format(header=repr("colour"))
    _print_warnings([warning], lang)
    assert capsys.readouterr().err == prefix + message_in(warning, lang) + "\n"
    assert message_in(warning, lang) != warning or lang == "en"   # the message itself too


@pytest.mark.parametrize(("lang", "warning", "dry_run"), [
    ("en", "warning: ", "Dry run: nothing was written."),
    ("fr", "avertissement\u00a0: ", "Essai à blanc\u00a0: rien n'a été écrit."),
])
def test_a_dry_run_says_so_in_the_language(capsys, tmp_path, lang, warning, dry_run):
    db = tmp_path / "workplan.duckdb"
    (tmp_path / "items.csv").write_text(ITEMS)
    (tmp_path / "updates.csv").write_text(UPDATES)
    assert main(["--db", str(db), "import", "items", str(tmp_path / "items.csv")]) == 0
    capsys.readouterr()
    code = main(["--db", str(db), "import", "updates", str(tmp_path / "updates.csv"),
                 "--dry-run", "--lang", lang])
    out = capsys.readouterr()
    assert code == 0
    assert out.out.splitlines()[-1] == dry_run
    assert out.err.startswith(warning)
