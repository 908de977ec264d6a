"""Column-wise parsing of cell text into typed values, as DuckDB SQL expressions.

Why: a million-row file must be parsed without a Python loop per row. Each
canonical column has a type (id, text, date, percent, status, weight) and this
module returns the SQL that turns its text into a value and the SQL that says
what is wrong with it. Column names in the SQL are our canonical names (code
constants), never the file's header text; the cells reach DuckDB only as a
registered Arrow table.

Forms accepted: percent 45, 45%, 45.5, 45,5 (0-100; `fractions` multiplies
0.45 by 100); dates ISO, slashes/dots/dashes with the year last (day-first or
month-first, decided per column, see `date_orders`), "31 Oct 2026",
"Oct 31, 2026"; statuses with the synonyms in `STATUS_WORDS` and, matched also
without accents, the French ones in `FRENCH_STATUS_WORDS` ("vert", "terminé");
French percents "79,5 %" (a space or no-break space before the sign).

Called by `analytics.ingest.validate`.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from analytics.ingest import messages as say
from analytics.ingest.headers import unaccented
from analytics.ingest.messages import ACCEPTED_STATUS_TEXT, DATE_EXAMPLES, sql_literal, sql_message

COLUMN_TYPES = {
    "items": {"item_id": "id", "domain": "text", "title": "text", "lead_party": "text",
              "owner": "text", "start_date": "date", "due_date": "date", "weight": "weight",
              "description": "optional"},
    "milestones": {"milestone_id": "id", "item_id": "id", "title": "text", "due_date": "date",
                   "completed_date": "optional_date", "baseline_date": "optional_date"},
    "updates": {"item_id": "id", "as_of": "date", "percent_complete": "percent",
                "status": "status", "note": "optional", "reported_by": "optional",
                "party": "optional"},
}

STATUS_WORDS = {
    "green": ["g", "green", "on track", "ontrack", "good"],
    "amber": ["a", "amber", "at risk", "atrisk", "yellow", "y"],
    "red": ["r", "red", "off track", "offtrack", "behind", "delayed"],
    "complete": ["complete", "completed", "done", "blue", "b", "finished", "closed"],
    "not_started": ["not started", "notstarted", "ns", "not yet started", "grey", "gray"],
}
# Looked up after the English words; also matched with accents dropped ("termine").
FRENCH_STATUS_WORDS = {
    "green": ["vert", "verte", "v", "en bonne voie", "sur la bonne voie", "dans les temps"],
    "amber": ["jaune", "ambre", "orange", "j", "à risque", "à surveiller"],
    "red": ["rouge", "en retard", "retardé", "en difficulté"],
    "complete": ["terminé", "terminée", "achevé", "achevée", "complété", "complétée", "fini",
                 "réalisé", "clos", "fermé", "bleu"],
    "not_started": ["non commencé", "pas commencé", "pas encore commencé", "non amorcé",
                    "non démarré", "pas démarré", "gris"],
}

SLASH = r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})"
ISO = r"\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T].*)?"
# Two-digit-year forms first: %Y would read "26" as the year 26.
NAMED_FORMATS = ["%d-%b-%y", "%d %b %y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d %B, %Y",
                 "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d.%b.%Y", "%d/%b/%Y"]
NUMBER = r"[+-]?(\d+([.,]\d*)?|[.,]\d+)[\s\x{00A0}\x{202F}]*%?"   # French: "79,5 %", no-break space


def status_table() -> pa.Table:
    """word -> status, registered as `status_words` for the status join."""
    words, statuses = [], []
    for status, synonyms in STATUS_WORDS.items():
        for word in [*synonyms, status, status.replace("_", " ")]:
            if word not in words:
                words.append(word)
                statuses.append(status)
    for status, synonyms in FRENCH_STATUS_WORDS.items():
        for word in synonyms:
            if word not in words:
                words.append(word)
                statuses.append(status)
    return pa.table({"word": words, "status": statuses})


def date_orders(con: duckdb.DuckDBPyConnection, columns: list[str], setting: str
                ) -> tuple[dict[str, str], list[str]]:
    """Per date column: 'dmy' or 'mdy', and warnings saying how an ambiguous column was read.

    An explicit setting ('day-first'/'month-first') is applied as given. On 'auto', a
    column's unambiguous slash dates (a part above 12) decide; when every slash date
    is ambiguous the default is day-first, said in a warning (never a silent guess).
    """
    orders, warnings = {}, []
    for column in columns:
        if setting in ("day-first", "month-first"):
            orders[column] = "dmy" if setting == "day-first" else "mdy"
            continue
        day_first, month_first, ambiguous, example = con.execute(
            f"SELECT count(*) FILTER (a > 12 AND b <= 12), count(*) FILTER (b > 12 AND a <= 12),"
            f" count(*) FILTER (a <= 12 AND b <= 12 AND a <> b), min(t) FILTER (a <= 12 AND b <= 12 AND a <> b)"
            f" FROM (SELECT t, CAST(p.a AS INTEGER) AS a, CAST(p.b AS INTEGER) AS b FROM ("
            f"   SELECT {column} AS t, regexp_extract({column}, '^{SLASH}$', ['a', 'b', 'y']) AS p"
            f"   FROM raw WHERE ({column}[2] IN ('/', '.', '-') OR {column}[3] IN ('/', '.', '-'))"
            f"   AND regexp_full_match({column}, '{SLASH}')))"
        ).fetchall()[0]
        orders[column] = "mdy" if month_first > day_first else "dmy"
        if ambiguous and not day_first and not month_first:
            warnings.append(say.AMBIGUOUS_DATES.format(column=column, example=repr(example)))
    return orders, warnings


def date_value(column: str, order: str) -> str:
    day, month = (1, 2) if order == "dmy" else (2, 1)

    def part(group: int) -> str:
        return f"CAST(regexp_extract({column}, '^{SLASH}$', {group}) AS INTEGER)"

    formats = "[" + ", ".join(f"'{f}'" for f in NAMED_FORMATS) + "]"
    return (
        f"CASE WHEN {column} = '' THEN NULL"
        f" WHEN length({column}) = 10 AND {column}[5] = '-' AND {column}[8] = '-'"
        f"   THEN try_cast({column} AS DATE)"
        f" WHEN regexp_full_match({column}, '{ISO}') THEN"
        f"   try_cast(replace(regexp_extract({column}, '^\\d{{4}}[-/]\\d{{1,2}}[-/]\\d{{1,2}}'), '/', '-') AS DATE)"
        f" WHEN regexp_full_match({column}, '{SLASH}') THEN try_cast(printf('%04d-%02d-%02d',"
        f"   CASE WHEN {part(3)} < 100 THEN 2000 + {part(3)} ELSE {part(3)} END,"
        f"   {part(month)}, {part(day)}) AS DATE)"
        f" ELSE CAST(try_strptime({column}, {formats}) AS DATE) END"
    )


def _cell(column: str) -> dict[str, str]:
    """The SQL of a message's values: the column's name and its cell (at most 60 characters)."""
    return {"column": sql_literal(column), "value": f"left(r_{column}, 60)"}


def date_error(column: str, order: str, required: bool) -> str:
    cell = _cell(column)
    form = sql_literal(say.DAY_FIRST if order == "dmy" else say.MONTH_FIRST)
    examples = sql_literal(DATE_EXAMPLES)
    empty = sql_message(say.EMPTY_DATE, **cell, examples=examples) if required else "NULL"
    return (
        f"CASE WHEN r_{column} = '' THEN {empty}"
        f" WHEN {column} IS NULL AND regexp_full_match(r_{column}, '{SLASH}') THEN"
        f"   {sql_message(say.BAD_DATE_FORM, **cell, form=form)}"
        f" WHEN {column} IS NULL THEN {sql_message(say.NOT_A_DATE, **cell, examples=examples)}"
        f" WHEN year({column}) NOT BETWEEN 1900 AND 2200 THEN"
        f"   {sql_message(say.DATE_OUT_OF_RANGE, **cell)}"
        f" END"
    )


def percent_value(column: str, fractions: bool) -> str:
    number = (f"coalesce(CASE WHEN isfinite(try_cast({column} AS DOUBLE)) THEN try_cast({column} AS DOUBLE) END,"
              f" CASE WHEN regexp_full_match({column}, '{NUMBER}') THEN"
              f"  try_cast(replace(replace(replace(replace(replace({column}, '%', ''), ' ', ''), chr(160), ''),"
              f" chr(8239), ''), ',', '.') AS DOUBLE) END)")
    if fractions:
        number = f"CASE WHEN contains({column}, '%') THEN {number} ELSE round({number} * 100, 9) END"
    return f"CASE WHEN {column} = '' THEN NULL ELSE {number} END"


def percent_error(column: str) -> str:
    cell = _cell(column)
    return (
        f"CASE WHEN r_{column} = '' THEN {sql_message(say.EMPTY_PERCENT, **cell)}"
        f" WHEN {column} IS NULL THEN {sql_message(say.NOT_A_PERCENT, **cell)}"
        f" WHEN {column} < 0 OR {column} > 100 THEN {sql_message(say.PERCENT_OUT_OF_RANGE, **cell)}"
        f" END"
    )


def status_value(column: str) -> str:
    table = status_table().to_pydict()

    def lookup(text: str, fold=lambda word: word) -> str:
        branches = []
        for status in STATUS_WORDS:
            words = dict.fromkeys(fold(w) for w, s in zip(table["word"], table["status"], strict=True)
                                  if s == status)
            branches.append(f"WHEN {text} IN ({', '.join(repr(w) for w in words)}) THEN '{status}'")
        return f"CASE {' '.join(branches)} END"

    normal = f"lower(regexp_replace({column}, '[\\s_\\-]+', ' ', 'g'))"
    canonical = ", ".join(f"'{status}'" for status in STATUS_WORDS)
    # Our own spelling (the template's) is answered by one comparison; the rest are looked up,
    # last of all without accents ("Termine", "NON COMMENCE").
    return (f"CASE WHEN {column} IN ({canonical}) THEN {column}"
            f" ELSE coalesce({lookup(f'lower({column})')}, {lookup(normal)},"
            f" {lookup(f'strip_accents({normal})', unaccented)}) END")


def status_error(column: str) -> str:
    cell = {**_cell(column), "statuses": sql_literal(ACCEPTED_STATUS_TEXT)}
    return (f"CASE WHEN r_{column} = '' THEN {sql_message(say.EMPTY_STATUS, **cell)}"
            f" WHEN {column} IS NULL THEN {sql_message(say.NOT_A_STATUS, **cell)} END")


def weight_value(column: str) -> str:
    return (f"CASE WHEN {column} = '' THEN 1.0 WHEN isfinite(try_cast(replace({column}, ',', '.') AS DOUBLE))"
            f" THEN try_cast(replace({column}, ',', '.') AS DOUBLE) END")


def weight_error(column: str) -> str:
    return (f"CASE WHEN {column} IS NULL OR {column} < 0 THEN"
            f" {sql_message(say.NOT_A_WEIGHT, **_cell(column))} END")


def text_error(column: str) -> str:
    return f"CASE WHEN r_{column} = '' THEN {sql_message(say.EMPTY_TEXT, **_cell(column))} END"


def value_sql(column: str, kind_of: str, *, order: str = "dmy", fractions: bool = False) -> str:
    """SQL turning the text column into its typed value (NULL when it cannot be read)."""
    if kind_of in ("date", "optional_date"):
        return date_value(column, order)
    if kind_of == "percent":
        return percent_value(column, fractions)
    if kind_of == "status":
        return status_value(column)
    if kind_of == "weight":
        return weight_value(column)
    if kind_of == "optional":
        return f"nullif({column}, '')"
    return column


def error_sql(column: str, kind_of: str, *, order: str = "dmy") -> str | None:
    """SQL giving the error message for the column's value, NULL when it is fine."""
    if kind_of in ("date", "optional_date"):
        return date_error(column, order, required=kind_of == "date")
    if kind_of == "percent":
        return percent_error(column)
    if kind_of == "status":
        return status_error(column)
    if kind_of == "weight":
        return weight_error(column)
    if kind_of in ("id", "text"):
        return text_error(column)
    return None


# -- the one-pass import (analytics.ingest.optimistic) ----------------------------------
# There pyarrow has already converted dates (yyyy-mm-dd) and numbers while parsing, so a
# value is either typed or the whole file goes to the careful path. The rules below are
# those of `error_sql`, restated for typed values: a row is bad exactly when `error_sql`
# would give it a message (tests/unit/test_ingest_optimistic.py checks both agree).

ARROW_TYPES = {"date": pa.date32(), "optional_date": pa.date32(),
               "percent": pa.float64(), "weight": pa.float64()}
_UNMAPPED = {"optional": "NULL::VARCHAR", "optional_date": "NULL::DATE", "weight": "1.0::DOUBLE"}


def typed_value_sql(column: str, kind_of: str, *, fractions: bool) -> str:
    """The stored value of a column that pyarrow typed or left as trimmed text."""
    if kind_of == "percent" and fractions:
        return f"round({column} * 100, 9)"
    if kind_of == "weight":
        return f"coalesce({column}, 1.0)"
    if kind_of in ("status", "optional"):
        return value_sql(column, kind_of)
    return column


def typed_invalid_sql(column: str, kind_of: str) -> str | None:
    """True when the typed value is one `error_sql` refuses."""
    years = f"year({column}) NOT BETWEEN 1900 AND 2200"
    return {
        "id": f"{column} = ''", "text": f"{column} = ''", "status": f"{column} IS NULL",
        "date": f"{column} IS NULL OR {years}",
        "optional_date": f"{column} IS NOT NULL AND {years}",
        "percent": f"{column} IS NULL OR NOT ({column} BETWEEN 0 AND 100)",
        "weight": f"NOT isfinite({column}) OR {column} < 0",
    }.get(kind_of)


def guarded_select(kind: str, source: str, mapped: set[str], *, fractions: bool) -> str:
    """A parenthesised SELECT of the canonical columns + row_number of `source` (a registered
    table name chosen by our code) that raises on the first row with an invalid value.

    Columns not in `mapped` are absent from the file (only optional ones can be).
    """
    types = COLUMN_TYPES[kind]
    values = [f"{typed_value_sql(c, t, fractions=fractions) if c in mapped else _UNMAPPED[t]} AS {c}"
              for c, t in types.items()]
    invalid = [f"({typed_invalid_sql(c, t)})" for c, t in types.items() if typed_invalid_sql(c, t)]
    if kind == "items":
        invalid.append("(due_date < start_date)")
    return (f"(SELECT {', '.join(types)}, row_number FROM"
            f" (SELECT {', '.join(values)}, row_number FROM {source})"
            f" WHERE CASE WHEN {' OR '.join(invalid)} THEN error('a row needs the careful check')"
            " ELSE true END)")
