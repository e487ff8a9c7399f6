"""The narrative: README.md and index.html, their links, escaping, and templates."""

from __future__ import annotations

import doctest
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import archgen.narrate.text
from archgen.errors import BlueprintError
from archgen.format import STEP_NAMES, STEPS
from archgen.model import Blueprint
from archgen.narrate.narrative import narrate
from archgen.narrate.text import literal_html, safe_markdown, table_cell_markdown
from archgen.parse.load import load

REPO = Path(__file__).resolve().parent.parent

VIDEO = """\
archgen: 1
id: video
title: Video Recommendation
summary: Recommend videos on the *home feed*.
tags: [recommendation, ranking]
requirements:
  objective: Increase watch time.
  functional: [Personalised home feed, New videos within an hour]
  non_functional: [p99 under 200 ms]
  scale: {Daily active users: 2B, Peak QPS: 100k}
  notes: Ask about **explicit** feedback.
evaluation:
  offline: [Precision@k, mAP]
serving:
  focus: [api]
groups:
  serving: Serving
components:
  users: {kind: client, label: Viewers}
  api: {kind: api_gateway, group: serving, tech: fastapi}
  events: {kind: event_stream, tech: kafka}
  ranker: {kind: ranker, group: serving}
flows:
  - users -> api: feed request
  - api -> ranker
  - ranker -> api: ranked videos
  - users -> events: watches
"""

HOSTILE = """\
archgen: 1
id: hostile
title: "<script>alert(0)</script> *Bold* title"
summary: "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [a](javascript:alert(3))"
tags: ["<b>tag</b>", "a|b"]
requirements:
  objective: "Objective <script>alert(4)</script>"
  functional: ["<img src=x onerror=alert(5)>", "[x](javascript:alert(6))"]
  scale: {"<script>alert(7)</script>": "a | b", "*rows*": 3}
  notes: "Notes <iframe src=evil></iframe> and `<code>`"
groups:
  g: "<script>alert(8)</script>"
components:
  users: {kind: client, label: "<script>alert(1)</script>", description: "<img src=x onerror=alert(9)>"}
  api: {kind: api_gateway, label: "*star* _under_ [link](http://x) a|b", group: g}
flows:
  - {from: users, to: api, label: "<script>alert(10)</script>"}
  - users -> g
"""


def load_text(tmp_path: Path, text: str) -> Blueprint:
    path = tmp_path / "blueprint.yaml"
    path.write_text(textwrap.dedent(text))
    return load(path)


def narrated(tmp_path: Path, text: str, **options: object) -> tuple[str, str]:
    readme, index = narrate(load_text(tmp_path, text), tmp_path / "out", **options)
    return readme.read_text(), index.read_text()


class Page(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def text(self) -> str:
        return "".join(self.data)


def lax_viewer(markdown: str) -> str:
    """README.md as the laxest Markdown viewer shows it: raw HTML allowed, any link."""
    viewer = MarkdownIt("commonmark", {"html": True}).enable("table")
    viewer.validateLink = lambda url: True
    return viewer.render(markdown)


def expected_images(blueprint: Blueprint, ext: str, step_diagrams: bool = True) -> set[str]:
    """The renderer's naming rule, written out again: ID.ext and step-N-NAME.ext."""
    steps = {
        f"step-{number}-{name}.{ext}"
        for number, name in enumerate(STEP_NAMES, start=1)
        if step_diagrams and blueprint.step(name).focus
    }
    return {f"{blueprint.id}.{ext}", *steps}


def markdown_images(markdown: str) -> set[str]:
    return set(re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", markdown))


def html_images(html: str) -> tuple[set[str], set[str]]:
    """The img sources and the links of a page, anchors within the page left out."""
    page = Page(html)
    sources = {attrs["src"] for attrs in page.named("img")}
    links = {attrs["href"] for attrs in page.named("a") if not attrs["href"].startswith("#")}
    return sources, links


def test_narrate_writes_readme_and_index_into_the_blueprint_folder(tmp_path: Path):
    written = narrate(load_text(tmp_path, VIDEO), tmp_path / "out")
    assert written == [tmp_path / "out/video/README.md", tmp_path / "out/video/index.html"]
    assert all(path.is_file() for path in written)


@pytest.mark.parametrize("ext", ["svg", "png"])
@pytest.mark.parametrize("step_diagrams", [True, False])
def test_image_links_are_relative_and_name_the_rendered_files(
    tmp_path: Path, ext: str, step_diagrams: bool
):
    blueprint = load_text(tmp_path, VIDEO)
    readme, index = narrate(blueprint, tmp_path / "out", image_ext=ext, step_diagrams=step_diagrams)
    expected = expected_images(blueprint, ext, step_diagrams)
    assert "step-6-serving." + ext in expected or not step_diagrams
    sources, links = html_images(index.read_text())
    assert markdown_images(readme.read_text()) == expected
    assert sources == expected
    assert links == expected | {"practice.html"}  # each diagram opens full size
    for name in expected:
        assert "/" not in name and ":" not in name


def test_an_unknown_image_format_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="image_ext"):
        narrate(load_text(tmp_path, VIDEO), tmp_path / "out", image_ext="gif")


def test_html_shows_hostile_text_literally_and_runs_nothing(tmp_path: Path):
    _, html = narrated(tmp_path, HOSTILE)
    page = Page(html)
    tag_names = {name for name, _ in page.tags}
    assert "script" not in tag_names and "iframe" not in tag_names
    assert {attrs["src"] for attrs in page.named("img")} <= {"hostile.svg"} | {
        f"step-{n}-{name}.svg" for n, name in enumerate(STEP_NAMES, start=1)
    }
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript:")
    for shown in ("<script>alert(0)</script>", "<script>alert(1)</script>", "<b>tag</b>"):
        assert shown in page.text
    assert "<img src=x onerror=alert(5)>" in page.text
    assert "<iframe src=evil></iframe>" in page.text
    assert "<script>alert(8)</script>" in page.text  # the group, in the walk


def test_markdown_shows_hostile_text_literally_on_a_git_host(tmp_path: Path):
    markdown, _ = narrated(tmp_path, HOSTILE)
    page = Page(lax_viewer(markdown))
    tag_names = {name for name, _ in page.tags}
    assert "script" not in tag_names and "iframe" not in tag_names
    assert all(attrs["src"].startswith(("hostile.", "step-")) for attrs in page.named("img"))
    assert "<script>alert(0)</script> *Bold* title" in page.text
    assert "<script>alert(1)</script>" in page.text
    assert "<iframe src=evil></iframe>" in page.text
    assert "`<code>`" not in page.text and "<code>" in page.text  # a code span stays code
    for attrs in page.named("a"):
        assert not attrs["href"].lower().startswith("javascript:")
    assert "[x](javascript:alert(6))" in page.text


def test_plain_text_in_markdown_never_becomes_formatting(tmp_path: Path):
    markdown, _ = narrated(tmp_path, HOSTILE)
    page = Page(lax_viewer(markdown))
    assert "*star* _under_ [link](http://x) a|b" in page.text
    assert {attrs["href"] for attrs in page.named("a")}.isdisjoint({"http://x"})
    assert "*rows*" in page.text
    html = lax_viewer(markdown)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL)
    assert rows and all(len(re.findall(r"<t[hd]\b", row)) == 2 for row in rows)
    assert "a | b" in page.text


def test_fields_render_as_lists_tables_and_paragraphs_with_readable_labels(tmp_path: Path):
    markdown, html = narrated(tmp_path, VIDEO)
    assert "**Business objective:** Increase watch time." in markdown
    assert "**Non-functional requirements:**\n\n- p99 under 200 ms\n" in markdown
    assert "| Daily active users | 2B |" in markdown
    assert "**Offline metrics:**\n\n- Precision@k\n- mAP\n" in markdown
    assert "Ask about **explicit** feedback." in markdown
    assert re.search(
        r"<dt>Functional requirements</dt>\s*<dd><ul>\s*<li>Personalised home feed</li>", html
    )
    assert re.search(r"<th scope=\"row\">Peak QPS</th><td>100k</td>", html)
    assert "Ask about <strong>explicit</strong> feedback." in html
    assert "<em>home feed</em>" in html


def test_every_step_field_has_a_readable_label():
    assert all(field.label[0].isupper() for step in STEPS for field in step.fields)


def test_only_steps_with_text_or_a_diagram_appear_and_none_is_empty(tmp_path: Path):
    markdown, html = narrated(tmp_path, VIDEO)
    headings = re.findall(r"^## (.*)$", markdown, re.MULTILINE)
    # Requirements has text and a diagram (the client's step), Data only a
    # diagram (the event stream's step), Evaluation only text, Serving only
    # its focus; Framing, Model and Monitoring have neither.
    assert headings == [
        "1. Requirements",
        "3. Data",
        "5. Evaluation",
        "6. Serving",
        "The architecture, step by step",
        "Review",
    ]
    sections = re.split(r"^## .*$", markdown, flags=re.MULTILINE)[1:]
    assert all(section.strip() for section in sections)
    assert re.findall(r'<section class="step" id="([^"]+)"', html) == [
        "step-1-requirements",
        "step-3-data",
        "step-5-evaluation",
        "step-6-serving",
    ]


def test_without_step_diagrams_a_step_with_no_text_is_skipped(tmp_path: Path):
    markdown, _ = narrated(tmp_path, VIDEO, step_diagrams=False)
    assert re.findall(r"^## (\d)\.", markdown, re.MULTILINE) == ["1", "5"]


def test_html_page_is_self_contained_with_a_table_of_contents(tmp_path: Path):
    _, html = narrated(tmp_path, VIDEO)
    page = Page(html)
    assert not page.named("link") and not page.named("script")
    assert "http" not in html.split("<body>")[0]  # no CDN, no web font
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.DOTALL)[0]
    assert re.findall(r'href="#([^"]+)"', toc) == [
        "step-1-requirements",
        "step-3-data",
        "step-5-evaluation",
        "step-6-serving",
        "architecture",
        "review",
    ]


def test_output_is_byte_identical_whatever_the_output_folder(tmp_path: Path):
    blueprint = load_text(tmp_path, VIDEO)
    first = narrate(blueprint, tmp_path / "one")
    second = narrate(blueprint, tmp_path / "elsewhere" / "two")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert str(tmp_path) not in a.read_text()


GALLERY = sorted((REPO / "blueprints").glob("*.yaml"))


@pytest.mark.parametrize("path", GALLERY, ids=[p.stem for p in GALLERY])
def test_gallery_narratives_read_cleanly(tmp_path: Path, path: Path):
    blueprint = load(path, root=REPO / "blueprints")
    readme, index = narrate(blueprint, tmp_path)
    markdown = readme.read_text()
    walk_text = markdown.split("## The architecture, step by step")[1]
    assert walk_text.count("\n\n**") >= len(blueprint.components)
    assert not re.search(r"None|(?<!\.)\.\.(?!\.)|  |from to|\(\)", walk_text)
    assert not re.search(r"^\s*[-*]\s*$", markdown, re.MULTILINE), "empty list item"
    assert not re.search(r"^#+\s*$", markdown, re.MULTILINE), "empty heading"
    assert "\n\n\n" not in markdown
    assert not re.search(r"<li>\s*</li>|<p>\s*</p>|<dd>\s*</dd>", index.read_text())


def test_user_templates_replace_the_builtin_ones_file_by_file(tmp_path: Path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "narrative.md.j2").write_text("Custom {{ title | text }}: {{ steps | length }} steps\n")
    (mine / "narrative.css").write_text("body { color: rebeccapurple; }\n")
    markdown, html = narrated(tmp_path, VIDEO, templates=mine)
    assert markdown == "Custom Video Recommendation: 4 steps\n"
    assert "rebeccapurple" in html  # the built-in page includes the user's stylesheet
    assert "<h1>Video Recommendation</h1>" in html


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("ok\n{% if %}\n", 2, "template error"),
        ("ok\n\n{{ no_such_variable }}\n", 3, "no_such_variable"),
    ],
)
def test_a_broken_user_template_is_reported_at_its_line(
    tmp_path: Path, template: str, line: int, message: str
):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "narrative.md.j2").write_text(template)
    with pytest.raises(BlueprintError) as raised:
        narrated(tmp_path, VIDEO, templates=mine)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.mark.file.name == "narrative.md.j2"
    assert diagnostic.mark.line == line
    assert message in diagnostic.message


def test_a_missing_templates_folder_is_reported(tmp_path: Path):
    with pytest.raises(BlueprintError, match="templates folder does not exist"):
        narrated(tmp_path, VIDEO, templates=tmp_path / "nowhere")


def test_literal_html_leaves_code_and_safe_autolinks_alone():
    source = "a <b> &amp; <https://x.org>\n\n```\n<pre>\n```\n\n    <indented>\n"
    assert literal_html(source) == (
        "a &lt;b> &amp;amp; <https://x.org>\n\n```\n<pre>\n```\n\n    <indented>\n"
    )
    assert literal_html("`<a>` <a> ``x ` <y>``") == "`<a>` &lt;a> ``x ` <y>``"
    # A stray backtick in one paragraph does not open a code span in the next.
    assert literal_html("`a\n\nb <i>`") == "`a\n\nb &lt;i>`"


def test_literal_html_unlinks_every_scheme_but_http_and_mailto():
    source = "[a](JavaScript:x) [b](data:x) [c](https://x) [d](mailto:m) [e](docs/f.md)"
    assert literal_html(source) == (
        r"[a\](JavaScript:x) [b\](data:x) [c](https://x) [d](mailto:m) [e](docs/f.md)"
    )
    assert (
        safe_markdown("[r]: javascript:x\n[s]: https://x\n")
        == "\\[r]: javascript:x\n[s]: https://x\n"
    )


def test_table_cells_stay_on_one_line_with_pipes_escaped():
    assert table_cell_markdown("a | b\nc `d|e`") == r"a \| b c `d\|e`"


def test_text_module_examples_hold():
    assert doctest.testmod(archgen.narrate.text).failed == 0


def test_walk_mentions_link_to_the_paragraph_of_the_component_they_name(tmp_path: Path):
    _, html = narrated(tmp_path, VIDEO)
    walk = Page(html.split('id="architecture"')[1])
    paragraph_ids = {attrs["id"] for attrs in walk.named("p") if attrs.get("id")}
    links = {attrs["href"][1:] for attrs in walk.named("a")}
    assert paragraph_ids == {f"component-{c}" for c in ("users", "api", "events", "ranker")}
    assert links and links <= paragraph_ids
