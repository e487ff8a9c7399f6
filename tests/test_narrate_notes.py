"""The study notes of format 1.1 in the narrative: answers, estimates, tradeoffs,
follow-ups and references, in README.md and index.html, escaped like all blueprint text."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from test_narrate import Page, lax_viewer

from archgen.errors import BlueprintError
from archgen.model import Reference
from archgen.narrate.narrative import narrate
from archgen.parse.load import load

REPO = Path(__file__).resolve().parent.parent
STUDY_NOTES = REPO / "tests" / "data" / "valid" / "study-notes.yaml"

HOSTILE_NOTES = """\
archgen: 1
id: notes
title: Notes
requirements:
  questions:
    - "<script>alert(1)</script> real-time?": "<img src=x onerror=alert(2)> yes"
  estimates: {"<b>QPS</b>": "a | b"}
model:
  tradeoffs:
    - "*GBDT*": "[why](javascript:alert(3))"
  followups:
    - "<iframe src=evil></iframe>?": "**Bold** <script>alert(4)</script>"
components:
  users: client
references:
  - title: "<script>alert(5)</script> [x](javascript:alert(6))"
    url: "https://example.com/a_(b)?c=1&d=2&amp;"
    note: "<img src=x onerror=alert(7)> *why*"
"""


def pages(tmp_path: Path, source: Path | str) -> tuple[str, str]:
    if isinstance(source, str):
        path = tmp_path / "blueprint.yaml"
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        source = path
    readme, index = narrate(load(source), tmp_path / "out")
    return readme.read_text(encoding="utf-8"), index.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return pages(tmp_path_factory.mktemp("study"), STUDY_NOTES)


def test_markdown_shows_assumed_answers_reasons_and_estimates(study: tuple[str, str]) -> None:
    markdown, _ = study
    assert "- Is it real-time? — *Assumed:* Yes, within a second of a new watch.\n" in markdown
    assert "- Do we have explicit feedback (likes)?\n" in markdown  # no answer: as before
    assert "| Quantity | Estimate |\n| --- | --- |\n| Peak QPS | 2B DAU" in markdown
    assert "- GBDT ranker — Strong on tabular features" in markdown
    assert "- Two towers: cheap retrieval over 10B videos, but no cross features.\n" in markdown


def test_markdown_puts_a_follow_up_answer_under_its_question(study: tuple[str, str]) -> None:
    markdown, _ = study
    assert "- What if traffic doubles?\n\n  *Answer:* Shard the candidate index;" in markdown
    assert (
        "- How do you handle a new video?\n\n"
        "  *Answer:* Content embeddings place it in the tower space at once;\n"
        "  an exploration slot gives it impressions.\n"
    ) in markdown
    html = lax_viewer(markdown)
    assert "<li>\n<p>What if traffic doubles?</p>\n<p><em>Answer:</em> Shard" in html


def test_html_folds_a_follow_up_answer_and_shows_the_others_inline(study: tuple[str, str]) -> None:
    _, html = study
    assert (
        "<li><details><summary>What if traffic doubles?</summary>\n"
        '    <div class="answer"><p>Shard the candidate index; the ranker scales out.</p>'
    ) in html
    assert (
        '<li>Is it real-time? <span class="answer">— <em>Assumed:</em> '
        "Yes, within a second of a new watch.</span></li>"
    ) in html
    assert '<th scope="col">Estimate</th>' in html
    assert "<li>Why not one model end to end?</li>" in html
    assert ".pairs details > summary" in html  # the notes' style comes with them


def test_references_close_both_pages_linked_with_their_notes(study: tuple[str, str]) -> None:
    markdown, html = study
    last = markdown.rstrip().rsplit("\n## ", 1)[1]
    assert last.startswith("References\n\n")
    assert (
        "- [Designing Machine Learning Systems](<https://www.oreilly.com/library/view/"
        "designing-machine-learning/9781098107956/>) — Chapter 7, on model deployment.\n"
    ) in last
    # a reference without a title shows its URL
    url = "https://research.google/pubs/deep-neural-networks-for-youtube-recommendations/"
    assert f"- [{url}](<{url}>)\n" in last
    page = Page(html)
    links = [attrs["href"] for attrs in page.named("a")]
    assert links[-3:] == [
        url,
        "https://www.oreilly.com/library/view/designing-machine-learning/9781098107956/",
        "https://doi.org/10.1145/3298689.3346996",
    ]
    assert '<a href="#references">References</a>' in html
    assert html.index('id="references"') > html.index('id="architecture"')


def test_hostile_notes_show_literally_and_link_nowhere_else(tmp_path: Path) -> None:
    markdown, html = pages(tmp_path, HOSTILE_NOTES)
    for page in (Page(html), Page(lax_viewer(markdown))):
        names = {name for name, _ in page.tags}
        assert not names & {"script", "iframe", "b"}
        assert all(attrs["src"] != "x" for attrs in page.named("img"))
        hrefs = [attrs.get("href") or "" for _, attrs in page.tags]
        assert not any(href.lower().startswith("javascript:") for href in hrefs)
        assert "https://example.com/a_(b)?c=1&d=2&amp;" in hrefs
        for shown in (
            "<script>alert(1)</script> real-time?",
            "<img src=x onerror=alert(2)> yes",
            "<iframe src=evil></iframe>?",
            "<script>alert(4)</script>",
            "<script>alert(5)</script> [x](javascript:alert(6))",
            "<img src=x onerror=alert(7)>",
            "<b>QPS</b>",
        ):
            assert shown in page.text, shown


def test_a_javascript_reference_never_loads(tmp_path: Path) -> None:
    text = HOSTILE_NOTES.replace("https://example.com/a_(b)?c=1&d=2&amp;", "javascript:alert(8)")
    with pytest.raises(BlueprintError) as caught:
        pages(tmp_path, text)
    [diagnostic] = caught.value.diagnostics
    assert "uses the scheme 'javascript:'" in diagnostic.message
    assert (diagnostic.mark.line, diagnostic.mark.col) == (17, 10)


def test_a_reference_made_in_code_is_linked_only_when_it_is_http(tmp_path: Path) -> None:
    """The API may build a Blueprint without loading a file: the page still links no other scheme."""
    blueprint = load(STUDY_NOTES)
    blueprint = replace(
        blueprint,
        references=(Reference("javascript:alert(9)", "Bad"), Reference("https://example.com")),
    )
    readme, index = narrate(blueprint, tmp_path / "out")
    assert "javascript" not in readme.read_text() + index.read_text()
    assert "https://example.com" in readme.read_text()


def test_a_page_without_notes_has_neither_their_style_nor_references(tmp_path: Path) -> None:
    markdown, html = pages(tmp_path, REPO / "tests" / "data" / "valid" / "spec-example.yaml")
    assert "## References" not in markdown and 'id="references"' not in html
    assert ".pairs" not in html and 'class="pairs"' not in html
    assert "- Do we have explicit feedback (likes) as well as watches?\n" in markdown
