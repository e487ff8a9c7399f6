"""The bundled gallery as a study resource (issue 14): every case study's notes filled in,
its sources sound, its place in the curriculum given, and its pages free of boilerplate.

The strict design review (tests/test_review_rules.py) already holds every case study to
answered clarifying questions and to having estimates; what it does not check is here.
The boilerplate rule reads the committed gallery (output/), which
tests/test_bundled_gallery.py keeps identical to what the code renders.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from archgen.catalog import load_catalog
from archgen.diagnostics import Collector
from archgen.format import STEP_NAMES, url_problem
from archgen.gallery import case_studies
from archgen.gallery.related import profile_of, relatives
from archgen.model import Blueprint, field_pairs
from archgen.narrate.text import squash
from archgen.narrate.walk import walk
from archgen.parse.compose import compose
from archgen.parse.load import load
from archgen.parse.yamltree import Mapping, Scalar

REPO = Path(__file__).resolve().parent.parent
BLUEPRINTS = REPO / "blueprints"
OUTPUT = REPO / "output"
BUNDLED = case_studies(BLUEPRINTS)

MIN_FOLLOWUPS = 4
# An estimate that shows its arithmetic: an operation (times, divided by) and a result.
OPERATION = r"[\u00d7*\u00f7/]"
RESULT = r"[=\u2248]"
REFERENCES = range(3, 6)
# A source that unrelated case studies may both cite, with the reason. Related ones
# (one family, or linked on their pages) may share sources anyway.
SHARED_SOURCES: dict[str, str] = {}
# A sentence on more than this many pages is boilerplate, unless it is a heading.
MAX_PAGES_PER_SENTENCE = 2
# Shorter sentences are turns of speech ("Why?", "What do you do?"), not boilerplate.
MIN_WORDS = 5


@cache
def bundled(path: Path) -> Blueprint:
    return load(path, root=BLUEPRINTS)


def ids(paths: list[Path]) -> list[str]:
    return [path.stem for path in paths]


# -- the study notes ------------------------------------------------------------


def notes(bp: Blueprint, field: str, steps: tuple[str, ...] = STEP_NAMES) -> list[tuple[str, str]]:
    return [pair for step in steps for pair in field_pairs(bp.step(step).value(field))]


@pytest.mark.parametrize("path", BUNDLED, ids=ids(BUNDLED))
def test_each_case_study_weighs_tradeoffs_in_its_model_and_its_serving(path: Path) -> None:
    bp = bundled(path)
    for step in ("model", "serving"):
        tradeoffs = notes(bp, "tradeoffs", (step,))
        assert tradeoffs, f"{step} weighs no tradeoff"
        assert all(why for _, why in tradeoffs), f"a tradeoff in {step} says not why"


@pytest.mark.parametrize("path", BUNDLED, ids=ids(BUNDLED))
def test_each_case_study_has_followups_with_strong_answers(path: Path) -> None:
    followups = notes(bundled(path), "followups")
    assert len(followups) >= MIN_FOLLOWUPS
    assert [question for question, answer in followups if not answer] == []


@pytest.mark.parametrize("path", BUNDLED, ids=ids(BUNDLED))
def test_each_case_study_shows_the_arithmetic_of_its_estimates(path: Path) -> None:
    estimates = notes(bundled(path), "estimates", ("requirements",))
    worked = [e for e in estimates if re.search(OPERATION, e[1]) and re.search(RESULT, e[1])]
    assert len(estimates) >= 3 and len(worked) * 2 >= len(estimates), estimates


@pytest.mark.parametrize("path", BUNDLED, ids=ids(BUNDLED))
def test_each_case_study_cites_three_to_five_sources(path: Path) -> None:
    assert len(bundled(path).references) in REFERENCES


@pytest.mark.parametrize("path", BUNDLED, ids=ids(BUNDLED))
def test_each_source_is_a_well_formed_web_address_cited_once(path: Path) -> None:
    urls = [reference.url for reference in bundled(path).references]
    assert [url for url in urls if not re.match(r"https?://", url) or url_problem(url)] == []
    assert len(set(urls)) == len(urls)
    assert all(reference.title for reference in bundled(path).references)


def test_no_source_repeats_across_unrelated_case_studies() -> None:
    cases = [bundled(path) for path in BUNDLED]
    linked = relatives([profile_of(bp, BLUEPRINTS) for bp in cases])
    family = {bp.id: bp.family for bp in cases}
    citing: dict[str, list[str]] = defaultdict(list)
    for bp in cases:
        for reference in bp.references:
            citing[reference.url].append(bp.id)

    def related(a: str, b: str) -> bool:
        return family[a] == family[b] or b in {r.id for r in linked[a]}

    unrelated = [
        (url, a, b)
        for url, users in citing.items()
        if url not in SHARED_SOURCES
        for a, b in combinations(users, 2)
        if not related(a, b)
    ]
    assert unrelated == []


# -- the curriculum ---------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED, ids=ids(BUNDLED))
def test_each_case_study_has_a_family_and_a_level(path: Path) -> None:
    bp = bundled(path)
    assert bp.family and bp.level


# -- the walk -------------------------------------------------------------------


def own_descriptions(path: Path) -> dict[str, str]:
    """Component id -> the description the blueprint (or a fragment it extends) writes."""
    composed = compose(path, path, BLUEPRINTS, Collector())
    assert composed is not None
    section = composed.tree.get("components")
    assert isinstance(section, Mapping)
    found = {}
    for ident, (_, entry) in section.entries.items():
        written = entry.get("description") if isinstance(entry, Mapping) else None
        if isinstance(written, Scalar) and not written.is_null:
            found[ident] = squash(written.value)
    return found


@pytest.mark.parametrize("path", BUNDLED, ids=ids(BUNDLED))
def test_each_component_is_told_with_its_own_description(path: Path) -> None:
    bp = bundled(path)
    kinds = load_catalog().kinds
    told = {stop.component.id: "".join(s.text for s in stop.prose) for stop in walk(bp)}
    own = own_descriptions(path)
    assert sorted(own) == sorted(bp.components), "every component plays its own part"
    for ident, description in own.items():
        generic = kinds[bp.components[ident].kind].description
        assert description.removesuffix(".") in told[ident]
        assert description == generic or generic not in told[ident], ident


# -- boilerplate ------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark").enable("table")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-z\s])")
_RUN_IN = re.compile(r"^( \([^)]*\))?\.(\s|$)")


def sentences(markdown: str) -> list[str]:
    """The sentences of a Markdown page, its headings left out: every paragraph, list
    item and table cell as plain text, less the labels that head them (`**Scale:**`,
    `*Assumed:*`, a table's header row, the component name that opens a walk
    paragraph), split after each full stop, question or exclamation mark."""
    found = []
    skipping = False
    for token in _MARKDOWN.parse(markdown):
        if token.type in ("heading_open", "thead_open"):
            skipping = True
        elif token.type in ("heading_close", "thead_close"):
            skipping = False
        elif token.type == "inline" and not skipping:
            text = _plain(token.children or [])
            found += [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    return found


def _plain(children: list[Token]) -> str:
    """An inline run as text, without labels; a leading name followed by '(kind).' or
    '.' is a walk paragraph's run-in heading, and goes too."""
    parts: list[str] = []
    emphasis: list[str] | None = None
    lead = ""
    for child in children:
        if child.type in ("strong_open", "em_open"):
            emphasis = []
        elif child.type in ("strong_close", "em_close") and emphasis is not None:
            text = "".join(emphasis)
            if not text.rstrip().endswith(":"):
                lead = lead or (text if not "".join(parts).strip() else "")
                parts.append(text)
            emphasis = None
        elif child.type in ("text", "code_inline"):
            (emphasis if emphasis is not None else parts).append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    rest = text.removeprefix(lead)
    return _RUN_IN.sub("", rest, count=1).strip() if lead and _RUN_IN.match(rest) else text


def template_sentences() -> set[str]:
    """The narrative template's own sentences, the same on every page by design."""
    template = (REPO / "templates" / "narrative.md.j2").read_text(encoding="utf-8")
    fixed = [line for line in template.splitlines() if "{{" not in line and "{%" not in line]
    return set(sentences("\n\n".join(fixed)))


def gallery_pages() -> dict[str, str]:
    return {
        page.relative_to(OUTPUT).as_posix(): page.read_text(encoding="utf-8")
        for page in sorted(OUTPUT.glob("*/README.md"))
    }


def test_sentences_are_split_from_the_page_without_its_headings_and_labels() -> None:
    page = (
        "# Title\n\n**Scale:** Two billion users. Peak at 6 pm!\n\n"
        "**Feature store** (feature store on Redis). Keeps the features; it feeds **Ranker**.\n\n"
        "- Is it real-time? — *Assumed:* Yes, within a second.\n\n"
        "| Quantity | Value |\n| --- | --- |\n| Peak QPS | 100k |\n"
    )
    assert sentences(page) == [
        "Two billion users.",
        "Peak at 6 pm!",
        "Keeps the features; it feeds Ranker.",
        "Is it real-time?",
        "— Yes, within a second.",
        "Peak QPS",
        "100k",
    ]


def test_no_sentence_is_on_more_than_two_pages_of_the_gallery() -> None:
    pages = gallery_pages()
    assert len(pages) == len(BUNDLED)
    chrome = template_sentences()
    seen: dict[str, set[str]] = defaultdict(set)
    for name, text in pages.items():
        for sentence in sentences(text):
            if sentence not in chrome and len(re.findall(r"\w+", sentence)) >= MIN_WORDS:
                seen[sentence].add(name)
    repeated = {s: sorted(p) for s, p in seen.items() if len(p) > MAX_PAGES_PER_SENTENCE}
    assert repeated == {}
