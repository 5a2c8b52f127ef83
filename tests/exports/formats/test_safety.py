import pytest

from exports.formats.safety import EXCEL_CELL_MAX, cut_utf16, excel_text, formula_unescape, neutralise


@pytest.mark.parametrize("payload", ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(1)", "\t=1", "\r=1", "\n=1", "=", "-"])
def test_formula_triggers_get_a_leading_quote_and_unescape_restores_them(payload):
    assert neutralise(payload) == "'" + payload
    assert formula_unescape(neutralise(payload)) == payload
    assert excel_text(payload) == "'" + payload


@pytest.mark.parametrize("text", ["", "{=1+1}", "Bike =1", "1+1", "'quoted", " =1", "ok"])
def test_other_text_is_left_alone(text):
    assert neutralise(text) == text
    assert formula_unescape(text) == text


def test_unescape_keeps_a_quote_the_exporter_did_not_add():
    assert formula_unescape("'tis the season") == "'tis the season"


def test_excel_text_removes_characters_xml_cannot_hold_before_checking_triggers():
    assert excel_text("a\x00b\x01c\x0bd\x0ce\x1ff\ufffeg") == "abcdefg"
    assert excel_text("keeps\ttab\nnewline\rreturn") == "keeps\ttab\nnewline\rreturn"
    assert excel_text("\x00=1+1") == "'=1+1"
    assert excel_text("\x00\x01") == ""


def test_excel_text_cuts_at_the_cell_limit_in_utf16_units():
    assert len(excel_text("x" * 40_000)) == EXCEL_CELL_MAX
    emoji = excel_text("🚲" * 20_000)  # two UTF-16 units each
    assert len(emoji.encode("utf-16-le")) <= EXCEL_CELL_MAX * 2 and set(emoji) == {"🚲"}
    assert excel_text("=" + "x" * 40_000).startswith("'=") and len(excel_text("=" + "x" * 40_000)) == EXCEL_CELL_MAX


def test_cut_never_splits_a_surrogate_pair():
    assert cut_utf16("a🚲", 2) == "a"
    assert cut_utf16("a🚲", 3) == "a🚲"
