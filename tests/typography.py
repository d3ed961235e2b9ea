"""Typographic marks for the tests, by code point: ruff flags them in source as look-alikes."""

from __future__ import annotations

APOSTROPHE = "\u2019"
OPENING_QUOTE, CLOSING_QUOTE = "\u201c", "\u201d"
OPENING_SINGLE_QUOTE = "\u2018"
EN_DASH, EM_DASH = "\u2013", "\u2014"

# A name as a team might type it: typography, a backslash, straight quotes and an emoji.
TYPESET_NAME = f'Zoë{APOSTROPHE}s {OPENING_QUOTE}Café{CLOSING_QUOTE} {EN_DASH} Shop \\ "quoted" 🚀'
TYPESET_SENTENCE = (
    f'Back\\slashes, "quotes" and {OPENING_SINGLE_QUOTE}typography{APOSTROPHE} {EM_DASH} all fine.'
)
