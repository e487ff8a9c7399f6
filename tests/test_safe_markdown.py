"""User text changes nothing on the pages archgen writes (issue 13, item 4).

Every trick of tests/data/hostile/markdown-tricks.yaml is put into every text
of a blueprint, and README.md is read back with markdown-it as the laxest
viewer reads it (raw HTML on, any link kept): its headings must be archgen's,
as for a tame twin of the blueprint, no link, image or definition may lead to
another scheme than http(s) or mailto, no raw HTML may be there, and no fence
may run on. index.html and practice.html are read with an HTML parser: the
same headings as the twin's, no script, no event handler, no such link.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from archgen.format import LABEL_CHARS
from archgen.model import Blueprint
from archgen.narrate.narrative import narrate
from archgen.narrate.practice import write_practice
from archgen.narrate.text import literal_markdown, safe_markdown, squash, table_cell_markdown
from archgen.parse.load import load

TRICKS: dict[str, str] = yaml.safe_load(
    (Path(__file__).parent / "data" / "hostile" / "markdown-tricks.yaml").read_text("utf-8")
)
TAME = "Tame text."
SAFE_SCHEMES = ("http", "https", "mailto")
SCHEME = re.compile(r"\s*([a-z][a-z0-9+.-]*):", re.IGNORECASE)
# Control characters but tab and newline: C0, DEL and C1.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def blueprint_text(text: str) -> dict[str, Any]:
    """A blueprint holding `text` in every place a blueprint holds text (as much of
    it as a label may hold, in a title or a label)."""
    label = text[: LABEL_CHARS.value]

    def pair() -> dict[str, str]:  # a new one each time: YAML would alias a shared one
        return {text: text}

    return {
        "archgen": 1,
        "id": "hostile",
        "title": label,
        "summary": text,
        "tags": [text, "plain"],
        "requirements": {
            "objective": text,
            "functional": [text, "plain"],
            "scale": {text: text, "Peak QPS": text},
            "questions": [pair(), text],
            "estimates": pair(),
            "notes": text,
        },
        "framing": {"objective": f"{text}\n\n{text}", "notes": f"Before\n{text}"},
        "model": {"choice": text, "tradeoffs": [pair(), text], "followups": [pair()]},
        "serving": {"followups": [pair(), text], "focus": ["api"]},
        "monitoring": {"metrics": [f"a\n\n{text}"], "notes": text},
        "groups": {"g": label},
        "components": {
            "users": {"kind": "client", "label": label, "description": text},
            "api": {"kind": "api_gateway", "group": "g", "label": label},
        },
        "flows": [{"from": "users", "to": "api", "label": label}],
        "references": [{"url": "https://example.com/a", "title": text, "note": text}],
        "review": {"ignore": [{"no-references": text}]},
    }


def written_pages(tmp_path: Path, text: str) -> dict[str, str]:
    """README.md, index.html and practice.html of the blueprint that holds `text`."""
    source = tmp_path / "blueprint.yaml"
    source.write_text(yaml.safe_dump(blueprint_text(text), allow_unicode=True), "utf-8")
    return pages(load(source), tmp_path / "out")


def pages(blueprint: Blueprint, out: Path) -> dict[str, str]:
    written = [*narrate(blueprint, out), *write_practice(blueprint, out)]
    return {path.name: path.read_text("utf-8") for path in written}


class _AnyLink(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return True


def lax_tokens(markdown: str) -> tuple[list[Token], dict[str, Any]]:
    """README.md as the laxest viewer parses it, with its link reference definitions."""
    env: dict[str, Any] = {}
    viewer = _AnyLink("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return viewer.parse(markdown, env), env


def flattened(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        out.extend(flattened(token.children or []))
    return out


def is_safe(url: str) -> bool:
    """Relative, or http(s) or mailto: written out again, not borrowed from archgen."""
    scheme = SCHEME.match(url)
    return scheme is None or scheme[1].lower() in SAFE_SCHEMES


def markdown_headings(markdown: str) -> list[tuple[str, str]]:
    """Each heading's level and text as a reader sees it (escapes undone)."""
    tokens, _ = lax_tokens(markdown)
    return [
        (token.tag, "".join(child.content for child in tokens[index + 1].children or []))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def markdown_problems(markdown: str) -> list[str]:
    """What in README.md changes the page or leads elsewhere: [] when nothing."""
    tokens, env = lax_tokens(markdown)
    lines = markdown.split("\n")
    problems = []
    for token in flattened(tokens):
        if token.type in ("html_block", "html_inline"):
            problems.append(f"raw HTML: {token.content!r}")
        url = token.attrGet("href") if token.type == "link_open" else token.attrGet("src")
        if token.type in ("link_open", "image") and not is_safe(str(url)):
            problems.append(f"{token.type} to {url!r}")
        if token.type == "fence" and not is_closed(token, lines):
            problems.append(f"a fence that runs on from line {token.map}")
    definitions = [*env.get("references", {}).values(), *env.get("duplicate_refs", [])]
    problems.extend(f"definition to {d['href']!r}" for d in definitions if not is_safe(d["href"]))
    problems.extend(f"control character {c!r}" for c in CONTROL.findall(markdown))
    return problems


def is_closed(fence: Token, lines: list[str]) -> bool:
    """Whether the fence's last line closes it (same mark, at least as long)."""
    start, end = fence.map or (0, 0)
    closing = re.escape(fence.markup[0]) + f"{{{len(fence.markup)},}}"
    return (
        end - start >= 2 and re.fullmatch(rf"\s*(?:>\s*)*{closing}\s*", lines[end - 1]) is not None
    )


class HtmlPage(HTMLParser):
    """The headings, the tags with their attributes, and the problems, of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.problems: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HEADING_TAGS:
            self.headings.append(tag)
        if tag in ("script", "iframe", "object", "embed", "foreignobject"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and not is_safe(value or ""):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        self.problems.extend(f"control character {c!r}" for c in CONTROL.findall(data))


@pytest.fixture(scope="module")
def tame(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The pages of the same blueprint with tame text: the structure to keep."""
    return written_pages(tmp_path_factory.mktemp("tame"), TAME)


def assert_same_structure(hostile: dict[str, str], tame: dict[str, str], title: str) -> None:
    readme = hostile["README.md"]
    assert markdown_problems(readme) == []
    headings = markdown_headings(readme)
    tame_headings = markdown_headings(tame["README.md"])
    # The title is the user's, shown as written; every other heading is archgen's.
    assert headings[0] == ("h1", squash(title[: LABEL_CHARS.value]))
    assert headings[1:] == tame_headings[1:]
    for name in ("index.html", "practice.html"):
        page = HtmlPage(hostile[name])
        assert page.problems == [], name
        assert page.headings == HtmlPage(tame[name]).headings, name


@pytest.mark.parametrize("name", TRICKS)
def test_a_trick_in_every_text_changes_nothing_on_any_page(
    name: str, tmp_path: Path, tame: dict[str, str]
) -> None:
    assert_same_structure(written_pages(tmp_path, TRICKS[name]), tame, TRICKS[name])


def test_every_trick_at_once_changes_nothing(tmp_path: Path, tame: dict[str, str]) -> None:
    together = "\n\n".join(TRICKS.values())
    hostile = written_pages(tmp_path, together)
    assert_same_structure(hostile, tame, together)


def test_the_fuzzer_tricks_fail_without_the_escaping() -> None:
    """The corpus has teeth: the laxest viewer finds a problem in each of these as written."""
    for name in (
        "atx-h2",
        "setext-equals",
        "fence-backticks",
        "reference-in-quote",
        "reference-in-list",
        "reference-multi-line-label",
        "reference-escaped-bracket",
        "html-6-div",
        "link-javascript",
        "autolink-javascript",
    ):
        text = f"{TRICKS[name]}\n\n## After"
        assert markdown_problems(text) or markdown_headings(text) != [("h2", "After")], name


# Bits of syntax to splice tricks with: openers left open, markers, line starts.
SPLICES = [*"`[]()<>#=-|\\*_!&;:", "```", "~~~", "\n", "\n\n", "    ", "\t", "- ", "> ", "1. "]


@pytest.mark.parametrize("seed", range(60))
def test_random_splices_of_tricks_change_nothing(seed: int) -> None:
    """Tricks and bits of syntax spliced at random, some cut short: a fence that
    another trick closes badly, a definition whose label another trick opened, HTML
    inside a fence that an escape turns back into text, a heading in a quote in a list."""
    rng = random.Random(seed)
    pieces = [rng.choice([*TRICKS.values(), *SPLICES]) for _ in range(rng.randint(2, 12))]
    text = "".join(p if rng.random() < 0.7 else p[: rng.randint(0, len(p))] for p in pieces)
    for embedded in (
        f"# Page\n\n{safe_markdown(text)}\n\n## After\n\nEnd.\n",
        f"# Page\n\n- {indented(safe_markdown(text))}\n- next\n\n## After\n",
        f"# Page\n\n- x {indented(safe_markdown(text))}\n\n  after\n\n## After\n",
        f"# Page\n\n| a | b |\n| --- | --- |\n| x | {table_cell_markdown(text)} |\n\n## After\n",
    ):
        assert markdown_problems(embedded) == [], (text, embedded)
        assert [h for _, h in markdown_headings(embedded)] == ["Page", "After"], (text, embedded)


def indented(text: str) -> str:
    """A list item's continuation, as the templates' `indent(2)` writes it."""
    return text.replace("\n", "\n  ")


def test_ordinary_markdown_keeps_its_formatting() -> None:
    text = (
        "**Bold**, *em*, `code <b>`, ~~gone~~ and [a link](https://example.com/a_(b)).\n\n"
        "- a list\n- [relative](docs/a.md) and <https://example.com>\n\n"
        "> a quote\n\n```python\nx = '<b>'\n```\n\n1. one\n2. two\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert safe_markdown(text) == text


def test_a_heading_and_a_run_on_fence_show_as_text_and_keep_the_rest_formatted() -> None:
    assert safe_markdown("**Bold**\n\n## Heading\n\n```\ncode") == (
        "**Bold**\n\n\\## Heading\n\n\\```\ncode"
    )
    assert safe_markdown("Title\n===\n\n*em*") == "Title\n\\===\n\n*em*"


def test_a_definition_to_another_scheme_is_text_wherever_it_hides() -> None:
    for name in (
        "reference-in-quote",
        "reference-in-list",
        "reference-multi-line-label",
        "reference-escaped-bracket",
        "reference-destination-next-line",
    ):
        shown = safe_markdown(TRICKS[name])
        assert "\\[" in shown and markdown_problems(shown) == [], name


def test_what_no_backslash_can_fix_is_shown_literally_all_of_it() -> None:
    # A code span as a regular expression sees it, across a block quote the parser
    # opens: the link inside is found only by parsing, and no backslash unlinks it.
    text = "*em* `a\n> [b](javascript:alert(1)) `"
    shown = safe_markdown(text)
    assert shown == literal_markdown(text)
    assert markdown_problems(shown) == []
    tokens, _ = lax_tokens(shown)
    assert [t.content for t in flattened(tokens) if t.type == "text"] == [
        "*em* `a",
        "> [b](javascript:alert(1)) `",
    ]


def control_characters(blueprint: Blueprint, text: str) -> Blueprint:
    """The blueprint with `text` in its title, summary, tags, labels and notes: what
    loading refuses, given to the writers directly."""
    components = {
        ident: replace(component, label=text, description=text)
        for ident, component in blueprint.components.items()
    }
    steps = tuple(replace(step, notes=text) for step in blueprint.steps)
    return replace(
        blueprint, title=text, summary=text, components=components, steps=steps, tags=(text,)
    )


@pytest.mark.parametrize(
    "text",
    [
        "NUL \x00 here",
        "java\x00script:alert(1) [a](java\x00script:alert(1))",
        "bell \x07, escape \x1b[31m red, DEL \x7f, NEL \x85, CSI \x9b",
        "#\x0b## vertical tab, form feed \x0c## here",
        "carriage\r## return, and \r\n a CRLF",
    ],
)
def test_no_control_character_reaches_any_page(text: str, tmp_path: Path) -> None:
    blueprint = load_tame(tmp_path)
    written = pages(control_characters(blueprint, text), tmp_path / "out")
    for name, page in written.items():
        assert CONTROL.findall(page) == [], name
    assert markdown_problems(written["README.md"]) == []
    tame = pages(control_characters(blueprint, TAME), tmp_path / "tame")
    assert markdown_headings(written["README.md"])[1:] == markdown_headings(tame["README.md"])[1:]


def load_tame(tmp_path: Path) -> Blueprint:
    source = tmp_path / "tame.yaml"
    source.write_text(yaml.safe_dump(blueprint_text(TAME)), "utf-8")
    return load(source)
