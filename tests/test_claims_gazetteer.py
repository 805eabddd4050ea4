"""The gazetteer and the sentence splitter: names, spans and the traps of running text."""

from __future__ import annotations

import pytest

from reachmap.claims import check_text
from reachmap.claims.gazetteer import find
from reachmap.claims.text import sentences


def _names(text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.kind, m.name) for m in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oreshnik missiles in Belarus", [("Oreshnik", "system", "Oreshnik"),
                                          ("Belarus", "country", "Belarus")]),
        ("Russia's Oreshnick", [("Russia", "country", "Russia"),
                                ("Oreshnick", "system", "Oreshnik")]),
        ("The Soviet Union deployed SS-20s.", []),  # neither Union nor SS-20s as a name
        ("the SS-20 and the RS-26 Rubezh", [("SS-20", "system", "RSD-10 Pioneer"),
                                            ("RS-26 Rubezh", "system", "RS-26 Rubezh")]),
        ("the Belarusian border", [("Belarusian", "country", "Belarus")]),
        ("From Minsk to Kapustin Yar", [("Minsk", "city", "Minsk"),
                                        ("Kapustin Yar", "site", "Kapustin Yar test range")]),
        ("Bosnia and Herzegovina and Kyiv", [("Bosnia and Herzegovina", "country",
                                              "Bosnia and Herz."), ("Kyiv", "city", "Kyiv")]),
        ("Most experts and Police said KM and AREA", []),
        ("the U.S. and the UK", [("U.S", "country", "United States"),
                                 ("UK", "country", "United Kingdom")]),
        ("all of Europe and NATO", [("Europe", "region", "Europe"), ("NATO", "region", "NATO")]),
    ],
)  # fmt: skip
def test_names(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _names(text) == expected


def test_spans_are_offsets_into_the_text() -> None:
    text = "Deployed to Belarus, Oreshnik could reach Rome."
    for m in find(text, offset=0):
        assert text[m.start : m.end] == m.text


def test_sentence_offsets_survive_abbreviations_and_blank_lines() -> None:
    text = "Headline\n\nThe U.S. Army said so. Dr. Smith agreed! Was it 5.5 km? Yes."
    found = sentences(text)
    assert [s.text for s in found] == [
        "Headline", "The U.S. Army said so.", "Dr. Smith agreed!", "Was it 5.5 km?", "Yes.",
    ]  # fmt: skip
    for s in found:
        assert text[s.start : s.end] == s.text


def test_unknown_reach_target_lists_closest_names() -> None:
    claims = check_text("Oreshnik is deployed to Belarus. It could hit Pariss.").claims
    (c,) = [c for c in claims if c.kind == "reach"]
    assert c.verdict == "not_checkable" and "Paris" in c.computed["closest_names"]


def test_non_ascii_text_keeps_character_offsets() -> None:
    text = "Orešnik — «Oreshnik» — is deployed to Belarus. It could strike Kraków."
    (c,) = [c for c in check_text(text).claims if c.kind == "reach"]
    assert text[c.start : c.end] == c.text and c.verdict == "consistent"
