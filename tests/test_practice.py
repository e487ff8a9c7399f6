"""practice.html: a blueprint as an interview drill, every answer hidden until asked for.

Read as HTML first (what is there, what is hidden, what is escaped), then in
headless Chromium: answers hidden at first and shown on a click, every
diagram loading once revealed, nothing fetched from outside the folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import opened_page
from study_notes import HOSTILE, STUDY_NOTES, spec_example, with_study_notes

from archgen.build import BuildOptions, build
from archgen.format import STEP_NAMES
from archgen.narrate.interview import INTERVIEW_MINUTES, PACING
from archgen.narrate.practice import practice_context, write_practice
from archgen.parse.load import load
from archgen.render.diagrams import render


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The spec's example with study notes: its diagrams, then its practice page."""
    out = tmp_path_factory.mktemp("practice")
    blueprint = with_study_notes(spec_example())
    render(blueprint, out, formats=("svg",))
    (page,) = write_practice(blueprint, out)
    return page


def test_the_pacing_fills_a_45_minute_interview_step_by_step() -> None:
    assert list(PACING) == list(STEP_NAMES)
    assert sum(pace.minutes for pace in PACING.values()) == INTERVIEW_MINUTES == 45
    prompts = practice_context(spec_example())["prompts"]
    assert [p.starts_at for p in prompts] == [0, 5, 9, 17, 27, 33, 40]
    assert all(p.expects and p.minutes for p in prompts)


def test_build_writes_the_practice_page_with_the_narrative_and_links_both_ways(
    tmp_path: Path,
) -> None:
    written = build(spec_example(), tmp_path, BuildOptions(formats=("svg",)))
    folder = tmp_path / "video-recommendation"
    assert folder / "practice.html" in written
    assert 'href="practice.html"' in (folder / "index.html").read_text()
    assert "](practice.html)" in (folder / "README.md").read_text()
    assert 'href="index.html"' in (folder / "practice.html").read_text()


def test_without_the_narrative_there_is_no_practice_page(tmp_path: Path) -> None:
    build(spec_example(), tmp_path, BuildOptions(formats=("svg",), narrative=False))
    assert not (tmp_path / "video-recommendation" / "practice.html").exists()


def test_it_opens_with_the_title_summary_and_clarifying_questions(drill: Path) -> None:
    html = drill.read_text()
    opening = html[: html.index('id="step-1-requirements"')]
    assert "<h1>Video Recommendation</h1>" in opening
    assert "maximise watch time" in opening
    # An assumed answer is hidden behind its question; a bare question is just asked.
    assert re.search(
        r"<details class=\"reveal\"><summary>Do we have explicit feedback.*?</summary>"
        r"<div class=\"revealed\"><p>Yes, likes are logged.</p>",
        opening,
    )
    assert '<li class="asked">Is the home feed the only surface?</li>' in opening


def test_every_step_is_a_prompt_whose_answer_and_diagram_are_hidden(drill: Path) -> None:
    html = drill.read_text()
    sections = re.findall(
        r'<section class="step prompt" id="(step-[^"]+)">(.*?)</section>', html, re.S
    )
    assert [anchor.split("-", 2)[2] for anchor, _ in sections] == list(STEP_NAMES)
    for anchor, body in sections:
        answer = body[body.index('<details class="answer">') :]
        if (drill.parent / f"{anchor}.svg").is_file():
            assert f'<img src="{anchor}.svg"' in answer, anchor
        assert f'src="{anchor}.svg"' not in body[: body.index("<details")]
    assert "<details open" not in html and "<script" not in html
    model = dict(sections)["step-4-model"]
    assert "<strong>Two-tower retrieval</strong>: Scales to billions" in model
    assert "<strong>One deep model over every video</strong>" in model


def test_follow_ups_hide_their_answers_and_blueprint_text_is_escaped(drill: Path) -> None:
    serving = drill.read_text().split('id="step-6-serving"')[1].split("</section>")[0]
    assert "<summary>How do you serve a <strong>cold-start</strong> user?</summary>" in serving
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in serving
    assert '<li class="asked">What if the ranker times out?</li>' in serving


def test_a_user_template_replaces_the_practice_page(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "practice.html.j2").write_text("<p>{{ title | text }}: {{ minutes }}</p>\n")
    (page,) = write_practice(spec_example(), tmp_path / "out", templates=templates)
    assert page.read_text() == "<p>Video Recommendation: 45</p>\n"


@pytest.fixture
def opened(browser, drill: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    with opened_page(browser, drill) as opened:
        yield opened


def test_answers_are_hidden_until_their_summary_is_clicked(opened) -> None:
    page, requested, _ = opened
    answers = page.locator("details.answer")
    assert answers.count() == len(STEP_NAMES) + 1  # and the whole architecture, last
    assert not any(
        answers.nth(i).locator(".revealed, figure").first.is_visible()
        for i in range(answers.count())
    )
    assert not [url for url in requested if url.endswith(".svg")]  # the design builds up as asked
    serving = page.locator("#step-6-serving details.answer")
    assert not serving.locator("dl").is_visible()
    serving.locator("summary").click()
    assert serving.locator("dl").is_visible()
    image = serving.locator("img")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def test_a_follow_up_reveals_its_answer_as_text(opened) -> None:
    page, _, dialogs = opened
    follow_up = page.locator("#step-6-serving details.reveal")
    assert not follow_up.locator(".revealed").is_visible()
    follow_up.locator("summary").click()
    assert HOSTILE in follow_up.locator(".revealed").inner_text()
    assert dialogs == [] and page.locator("script").count() == 0


def test_every_diagram_loads_and_nothing_leaves_the_folder(opened, drill: Path) -> None:
    page, requested, _ = opened
    for summary in page.locator("details > summary").all():
        summary.click()
    for image in page.locator("img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(i => i.complete)")
    sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.src, i.naturalWidth])")
    assert len(sizes) >= 5 and all(width > 0 for _, width in sizes), sizes
    folder = drill.parent.as_uri()
    assert all(url.startswith(folder) or url.startswith("data:") for url in requested), requested


def test_study_notes_written_in_yaml_reach_the_page(tmp_path: Path) -> None:
    build(load(STUDY_NOTES), tmp_path, BuildOptions(formats=("svg",)))
    html = (tmp_path / "study-notes" / "practice.html").read_text()
    assert "<summary>Is it real-time?</summary>" in html
    assert "<summary>What if traffic doubles?</summary>" in html
    assert "<strong>GBDT ranker</strong>: Strong on tabular features" in html
    assert '<th scope="col">Estimate</th>' in html  # the estimates, in the hidden answer
