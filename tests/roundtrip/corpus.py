"""Hostile but legal lead text: what an update-ready export must bring back unchanged (or refuse, saying why)."""

EXCEL_CELL_MAX = 32_767

# Every value here is storable (no NUL, no lone surrogate) and fits the title's 300 characters
# unless noted; LONG only goes in the description.
CORPUS = {
    "formula": "=1+1",
    "hyperlink": '=HYPERLINK("http://evil.example","x")',
    "dde": "=cmd|' /C calc'!A0",
    "plus phone": "+1 415 555 0100",
    "minus": "-2",
    "at": "@SUM(1)",
    "genuine quote before a trigger": "'=already quoted",
    "genuine quoted phone": "'+1 415 555 0100",
    "two quotes": "''=x",
    "lone quote": "'",
    "quote then text": "'tis the season",
    "space then formula": " =1+1",
    "zero-width then formula": "\u200b=1+1",
    "BOM then formula": "\ufeff=1+1",
    "control then formula": "\x01=1+1",
    "leading tab": "\t=1+1",
    "leading CR": "\r=1+1",
    "leading LF": "\n=1+1",
    "line breaks": "line 1\nline 2\r\nline 3\rline 4",
    "quotes and commas": 'He said "hi", then, left',
    "excel escape": "_x0041_",
    "escaped escape": "_x005F_x0041_",
    "overlapping escapes": "_x0041_x0042_",
    "escape lookalike": "max_x and _x12_ and _xZZZZ_",
    "control characters": "bell\x07 esc\x1b vt\x0b ff\x0c us\x1f del\x7f",
    "non-characters": "a\ufffeb\uffffc",
    "spaces only": "   ",
    "padded": "  padded  ",
    "emoji": "🚀 Great deal 👍🏽 👨\u200d👩\u200d👧",
    "right-to-left": "\u202eexe.gnp עברית عربي",
    "separators": "\u2028 LS \u2029 PS \u00a0 NBSP",
    "backslash dot": "\\.",
    "number-like": "00123",
    "date-like": "2026-11-27",
    "marker-like": "text [cut by export: see the Notes sheet] more",
}
LONG = "=" + "A long description. " * 2_000  # over Excel's cell limit, and starting with a trigger
assert len(LONG) > EXCEL_CELL_MAX
