"""URL gate: the gated recognizer answers exactly what Presidio's ``UrlRecognizer`` does,
and only Presidio's own pattern shape is gated."""

from __future__ import annotations

import pytest
from presidio_analyzer import EntityRecognizer, Pattern, RecognizerRegistry
from presidio_analyzer.predefined_recognizers import UrlRecognizer

from tasks.recognizers.url_gate import GatedUrlRecognizer, gate_url, gateable

PLAIN = UrlRecognizer()
GATED = GatedUrlRecognizer.like(PLAIN)

# (text, whether the gate lets it through to the patterns)
TEXTS = [
    ("see https://example.com/path?q=1 now", True),
    ("visit www.example.co.uk today", True),
    ("EXAMPLE.ORG in capitals", True),
    ("the link is 'foo-bar.net/x' quoted", True),
    ('"http://a.io"', True),
    ("e.g. this is no url", True),             # passes the gate, matches nothing
    ("version 3.5 and 2.0", False),            # digits after the dot
    ("End. Start of the next sentence.", False),
    ("a dot . alone and ... dots", False),
    ("example\u212aom.\u212aom", True),        # the Kelvin sign folds to k in both
    ("host.\u017fite", True),                  # long s folds to s
    ("no dot at all here", False),
    ("", False),
]


def _spans(recognizer: EntityRecognizer, text: str) -> list[tuple[int, int, str, float]]:
    found = recognizer.analyze(text, recognizer.supported_entities, None)
    return sorted((r.start, r.end, r.entity_type, r.score) for r in found)


@pytest.mark.parametrize(("text", "passes"), TEXTS)
def test_gated_answers_what_presidio_answers(text: str, passes: bool) -> None:
    assert _spans(GATED, text) == _spans(PLAIN, text)
    assert (GATED.gate.search(text) is not None) is passes
    if not passes:
        assert _spans(PLAIN, text) == []


def test_demo_requests_get_the_same_urls() -> None:
    from chorus.demo.generator import generate

    conversations, _ = generate(300, seed=4)
    texts = [m["content"] for c in conversations for m in c["messages"] if m["role"] == "user"]
    hits = [t for t in texts if _spans(PLAIN, t)]
    assert hits, "the demo plants URLs"
    assert all(_spans(GATED, t) == _spans(PLAIN, t) for t in texts)


def test_presidio_patterns_are_gateable_and_others_are_not() -> None:
    patterns = [p.regex for p in PLAIN.patterns]
    assert len(patterns) == 4 and gateable(patterns)
    assert not gateable([])
    assert not gateable([patterns[0].replace("(?:com)|", "(?:1com)|")])  # a TLD not a letter
    assert not gateable([patterns[1].replace("(?i)(", "(?i)(x|", 1)])    # an alternation
    assert not gateable([patterns[1].replace("[a-z0-9.\\-]{1,253}", "[a-z]*")])  # no host
    assert not gateable([patterns[1] + "|.*"])                         # another suffix


@pytest.mark.parametrize("changed", [False, True])
def test_gate_url_swaps_only_presidio_shaped_recognizers(changed: bool) -> None:
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers()
    at = next(i for i, r in enumerate(registry.recognizers) if type(r) is UrlRecognizer)
    if changed:
        recognizer = registry.recognizers[at]  # type: ignore[index]
        recognizer.patterns = [Pattern(p.name, p.regex + "|x", p.score)  # new objects: the
                               for p in recognizer.patterns]  # class's are shared
    assert gate_url(registry) == (0 if changed else 1)
    swapped = registry.recognizers[at]  # type: ignore[index]
    assert isinstance(swapped, GatedUrlRecognizer) is not changed
    assert swapped.name == "UrlRecognizer" and swapped.context == PLAIN.context
    assert gateable([p.regex for p in UrlRecognizer().patterns])  # the class is untouched
