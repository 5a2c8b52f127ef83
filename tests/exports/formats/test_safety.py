import pytest
from hypothesis import given
from hypothesis import strategies as st

from leads.cell_safety import FIRST_CHARACTERS, FORMULA_TRIGGERS, needs_quote, neutralise, unneutralise

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(1)", "\t=1", "\r=1", "\n=1", "=", "-"]
# Characters spreadsheet programs drop or skip before a formula: LibreOffice drops a leading NUL.
HIDDEN_PREFIXES = ["\x00", "\x01", "\x1f", " ", "\u00a0", "\u200b", "\ufeff", "\u2060", "\x00 \u200b"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_triggers_get_a_leading_quote_and_unneutralise_restores_them(payload):
    assert neutralise(payload) == "'" + payload
    assert unneutralise(neutralise(payload)) == payload


@pytest.mark.parametrize("prefix", HIDDEN_PREFIXES)
def test_characters_readers_skip_do_not_hide_a_trigger(prefix):
    for payload in ("=1+1", '=HYPERLINK("http://evil.example","x")', "@x", "+1"):
        assert neutralise(prefix + payload) == "'" + prefix + payload


@pytest.mark.parametrize("text", ["", "{=1+1}", "Bike =1", "1+1", "ok", " x", "x'", " '=1"])
def test_other_text_is_left_alone(text):
    assert neutralise(text) == text
    assert unneutralise(text) == text


@pytest.mark.parametrize("genuine", ["'=already quoted", "'+1 415 555 0100", "''-x", "' =1", "'\x00@x", "'tis", "'"])
def test_a_genuine_leading_quote_before_a_trigger_survives(genuine):
    exported = neutralise(genuine)
    assert exported == "'" + genuine
    assert unneutralise(exported) == genuine


@given(st.text())
def test_unneutralise_undoes_neutralise_for_every_text(text):
    assert unneutralise(neutralise(text)) == text


@given(st.text())
def test_no_neutralised_text_starts_with_a_trigger_after_skipped_characters(text):
    exported = neutralise(text)
    visible = exported.lstrip("".join(FIRST_CHARACTERS - set(FORMULA_TRIGGERS) - {"'"}))
    assert not visible or visible[0] not in FORMULA_TRIGGERS or exported[0] == "'"


@given(st.text())
def test_unneutralise_is_the_identity_on_texts_the_exporter_never_writes_quoted(text):
    if not needs_quote(text):
        assert unneutralise(text) == text
