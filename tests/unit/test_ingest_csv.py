"""Reading CSV bytes: encodings, delimiters, quoting, blank lines, CRLF, garbage and size limits."""

import codecs

import pytest

from analytics.ingest import ReadOptions, RefusedFileError, read_upload

HEADER = "item_id,as_of,percent_complete,status,note"


def parsed(data: bytes, **options):
    return read_upload(data, "sheet.csv", "updates", ReadOptions(**options))


def rows(p):
    return p.table.select(["row_number", "item_id", "percent_complete", "note"]).to_pylist()


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE), ("cp1252", b""),
])
def test_encodings_are_detected_and_accents_survive(encoding, prefix):
    text = f"{HEADER}\nA-1,2026-10-31,45,green,Données reçues – ok\n"
    p = parsed(prefix + text.encode(encoding))
    assert p.ok, p.error_lines()
    assert rows(p)[0]["note"] == "Données reçues – ok"
    assert p.mapping["item_id"] == "item_id"          # the BOM is not part of the first header


def test_latin1_bytes_undefined_in_cp1252_still_decode():
    p = parsed(f"{HEADER}\nA-1,2026-10-31,45,green,x\x81y\n".encode("latin-1"))
    assert p.ok and p.dialect["encoding"] == "latin-1"


@pytest.mark.parametrize("sep, name", [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_delimiters_are_detected(sep, name):
    text = HEADER.replace(",", sep) + "\n" + sep.join(["A-1", "2026-10-31", "45", "green", "n"]) + "\n"
    p = parsed(text.encode())
    assert p.ok and p.dialect["delimiter"] == sep


def test_delimiter_override_wins():
    text = "item_id;as_of;percent_complete;status\nA,1;2026-10-31;45;green\n"
    p = parsed(text.encode(), delimiter=";")
    assert rows(p)[0]["item_id"] == "A,1"


def test_quotes_newlines_blank_lines_crlf_keep_spreadsheet_row_numbers():
    data = (f"{HEADER}\r\n"
            'A-1,2026-10-31,45,green,"two\r\nlines, and ""quotes"""\r\n'
            "\r\n"
            "A-2,2026-10-31,50,green,\r\n"
            "\r\n\r\n"
            "A-3,2026-10-31,bad,green,x\r\n").encode()
    p = parsed(data)
    assert [r["row_number"] for r in rows(p)] == [2, 4, 7]
    assert rows(p)[0]["note"] == 'two\r\nlines, and "quotes"'
    assert p.error_lines() == ["row 7, column percent_complete: 'bad' is not a percentage; "
                               "expected a number from 0 to 100 such as 45, 45% or 45.5"]


def test_trailing_delimiters_on_every_line_are_ignored():
    data = f"{HEADER},\nA-1,2026-10-31,45,green,x,\n".encode()
    p = parsed(data)
    assert p.ok and not p.warnings


def test_a_trailing_delimiter_on_a_data_row_only_is_a_row_error():
    # the header does not end with an empty field: an extra one is never dropped silently
    data = f"{HEADER}\nA-1,2026-10-31,45,green,x,\nA-2,2026-10-31,45,green,y\n".encode()
    p = parsed(data)
    assert p.error_lines() == ["row 2 has 6 fields; the header has 5 (a stray delimiter, or a "
                               "value holding one that is not quoted?)"]
    assert [r["note"] for r in rows(p)] == ["y"]


def test_extra_values_beyond_the_header_are_a_row_error():
    data = f"{HEADER}\nA-1,2026-10-31,45,5,green,x\n".encode()
    p = parsed(data)
    assert p.error_lines()[0].startswith("row 2 has 6 fields; the header has 5")


def test_whitespace_only_lines_and_padding_are_tolerated():
    data = f"{HEADER}\n  A-1 , 2026-10-31 ,45 , Green ,x\n   \nA-2,2026-10-31,45,green,y\n".encode()
    p = parsed(data)
    assert p.ok, p.error_lines()
    assert [r["row_number"] for r in rows(p)] == [2, 4]
    assert rows(p)[0]["item_id"] == "A-1"


def test_exact_duplicate_rows_are_collapsed_with_a_warning():
    data = f"{HEADER}\nA-1,2026-10-31,45,green,x\nA-1,2026-10-31,45,green,x\n".encode()
    p = parsed(data)
    assert p.ok and p.table.num_rows == 1
    assert any("1 exact duplicate row(s) were ignored (rows 3)" in w for w in p.warnings)


@pytest.mark.parametrize("data, fragment", [
    (b"", "empty"),
    (b"  \r\n\r\n", "empty"),
    (bytes(range(256)) * 20, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ".xls"),
])
def test_garbage_is_refused_with_a_clear_message(data, fragment):
    with pytest.raises(RefusedFileError, match=fragment):
        parsed(data)


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    data = (f"{HEADER}\n" + "A-1,2026-10-31,45,green,x\n" * 50_000).encode()
    with pytest.raises(RefusedFileError, match="over the 1 MB limit"):
        parsed(data, max_bytes=1_048_576)


def test_the_size_limit_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("WORKPLAN_MAX_UPLOAD_MB", "1")
    with pytest.raises(RefusedFileError, match="WORKPLAN_MAX_UPLOAD_MB"):
        parsed((f"{HEADER}\n" + "A-1,2026-10-31,45,green,x\n" * 50_000).encode())


def test_header_only_file_is_an_error():
    p = parsed(f"{HEADER}\n".encode())
    assert p.error_lines() == ["the file has a header row but no data rows"]
