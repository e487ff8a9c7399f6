"""`archgen book`: the study book, one PDF of every case study, typeset with Typst.

The PDF is read back with pypdf, as a reader's viewer would: its pages and
their numbers, the outline (bookmarks) and the contents' links, the text,
and what the diagrams are made of (vector drawings, not pictures).
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
import typst
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from study_notes import HOSTILE, SPEC_EXAMPLE, spec_example, with_study_notes

from archgen.book import write_book
from archgen.book.markup import markdown, text
from archgen.cli import EXIT_GRAPHVIZ, EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, main
from archgen.format import STEP_NAMES, step_format
from archgen.narrate.interview import followups
from archgen.parse.load import load

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"
# Three case studies, laid out top to bottom and left to right, make a book worth checking
# in a few seconds; the whole gallery's book is `make gallery`'s.
CHOSEN = ("video-recommendation.yaml", "rag-assistant.yaml", "payment-fraud.yaml")
# The largest picture a diagram may hold: an icon, drawn at twice its size.
MAX_IMAGE_PIXELS = 256 * 256


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book") / "study-book.pdf"
    files = [str(BLUEPRINTS / name) for name in CHOSEN]
    assert main(["book", *files, "-o", str(out), "-q"]) == EXIT_OK
    return out


@pytest.fixture(scope="module")
def reader(book: Path) -> PdfReader:
    return PdfReader(book)


@pytest.fixture(scope="module")
def everything(reader: PdfReader) -> str:
    """The book's text, every page, diagrams' labels included: read once, as it is slow."""
    return words("".join(page.extract_text() for page in reader.pages))


def titles() -> list[str]:
    """The chosen case studies' titles, in the book's order."""
    return sorted((load(BLUEPRINTS / name).title for name in CHOSEN), key=str.lower)


def words(found: str) -> str:
    """Text with its line breaks, hyphenation and spacing left out, to compare with text
    that the typesetter may have broken across lines."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", found)


def test_the_book_has_a_cover_contents_and_more_pages_than_case_studies(reader: PdfReader) -> None:
    assert len(reader.pages) > 5 * len(CHOSEN)
    cover = reader.pages[0].extract_text()
    assert "ML System Design" in cover and "3 case studies" in cover
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents
    assert all(words(title) in words(contents) for title in titles())


def test_pages_are_numbered_after_the_cover(reader: PdfReader) -> None:
    assert reader.page_labels[0] == ""
    assert reader.page_labels[1:4] == ["2", "3", "4"]
    assert reader.pages[4].extract_text().rstrip().endswith("5")


def test_the_outline_has_one_entry_per_case_study_with_its_steps(reader: PdfReader) -> None:
    outline = reader.outline
    top = [entry.title for entry in outline if not isinstance(entry, list)]
    assert top == titles()
    nested = [entry for entry in outline if isinstance(entry, list)]
    assert len(nested) == len(CHOSEN)
    steps = [f"{n}. {step_format(name).title}" for n, name in enumerate(STEP_NAMES, 1)]
    for chapter in nested:
        assert [entry.title for entry in chapter] == [*steps, "Review", "References"]


def test_the_contents_link_to_each_case_study(reader: PdfReader) -> None:
    links = [
        annotation.get_object()
        for annotation in reader.pages[1].get("/Annots", [])
        if annotation.get_object()["/Subtype"] == "/Link"
    ]
    assert len([link for link in links if "/Dest" in link or "/A" in link]) >= len(CHOSEN)


def test_each_case_study_shows_its_steps_follow_ups_and_their_answers(everything: str) -> None:
    for name in CHOSEN:
        blueprint = load(BLUEPRINTS / name)
        assert words(blueprint.title) in everything
        question, answer = min(followups(blueprint.step("model")), key=lambda qa: len(qa[0]))
        assert words(question) in everything
        assert words(answer[:60]) in everything
    assert words("1. Requirements") in everything
    estimates = step_format("requirements").field("estimates").label
    assert words(f"{estimates}:") in everything


def _images_and_forms(resources: DictionaryObject, found: dict[str, list[int]]) -> None:
    """Every image's pixel count and every form, through nested forms."""
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return
    for xobject in xobjects.get_object().values():
        xobject = xobject.get_object()
        if xobject["/Subtype"] == "/Image":
            found["images"].append(int(xobject["/Width"]) * int(xobject["/Height"]))
        else:
            found["forms"].append(1)
            if "/Resources" in xobject:
                _images_and_forms(xobject["/Resources"].get_object(), found)


def test_the_diagrams_are_vector_drawings_not_pictures(reader: PdfReader) -> None:
    found: dict[str, list[int]] = {"images": [], "forms": []}
    for page in reader.pages:
        _images_and_forms(page["/Resources"].get_object(), found)
    # An overview and seven step views per case study, each a form of vector paths...
    assert len(found["forms"]) >= 8 * len(CHOSEN)
    # ...whose only pictures are the icons, small, never a diagram rasterized whole.
    assert found["images"] and max(found["images"]) <= MAX_IMAGE_PIXELS


def test_a_diagrams_labels_stay_text_to_search_and_copy(everything: str) -> None:
    blueprint = load(BLUEPRINTS / CHOSEN[0])
    labels = [c.label for c in blueprint.components.values() if "\n" not in c.label]
    assert labels and all(words(label) in everything for label in labels)


def test_the_same_blueprints_make_the_same_book(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_book([spec_example()], first)
    write_book([spec_example()], second)
    assert first.read_bytes() == second.read_bytes()


HOSTILE_TITLE = '#panic("x") $x^2$ <l> @ref // c /* c */ \\u{41} = h [a]] `r` *b* _e_ ~ -- ...'


def test_blueprint_text_shows_as_written_never_as_typst(tmp_path: Path) -> None:
    blueprint = replace(with_study_notes(spec_example()), title=HOSTILE_TITLE)
    out = tmp_path / "book.pdf"
    write_book([blueprint], out)
    reader = PdfReader(out)
    everything = "".join(page.extract_text() for page in reader.pages)
    assert HOSTILE_TITLE in everything
    assert f"Popular videos by region, {HOSTILE}." in everything
    # Markdown is converted: the follow-up's **cold-start** is bold, not starred.
    assert "How do you serve a cold-start user?" in everything
    assert [entry.title for entry in reader.outline if not isinstance(entry, list)] == [
        HOSTILE_TITLE
    ]


def typeset_text(markup: str) -> str:
    """What a reader sees of a piece of markup, typeset on its own."""
    pdf = typst.compile(markup.encode("utf-8"))
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(
    "plain",
    [
        "#sys.version and #{1 + 1}",
        "$x^2$ <label> @ref",
        "// not a comment /* nor this */",
        "\\u{41} \\ back\\slash",
        "= not a heading",
        "- not a list",
        "1. not a list either",
        "*a* _b_ `c` [d]] ~ e",
        "https://example.com/path -- --- ...",
        "'single' \"double\"",
    ],
)
def test_plain_text_is_escaped_for_typst(plain: str) -> None:
    assert typeset_text(text(plain)).strip() == plain


def test_markdown_becomes_typst_emphasis_code_lists_and_links() -> None:
    source = (
        "Some *em*, **strong**, `co*de` and [a link](https://example.com).\n\n"
        "- one\n- two\n\n"
        "```python\nprint('x')\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    markup = markdown(source)
    assert "#emph[em]" in markup and "#strong[strong]" in markup
    assert '#raw("co*de")' in markup
    assert '#link("https://example.com")[a link]' in markup
    assert "#list([one], [two])" in markup
    assert '#raw(block: true, lang: "python", "print(\'x\')")' in markup
    assert "#table(columns: 2," in markup
    shown = typeset_text(markup)
    assert "co*de" in shown and "print('x')" in shown and "two" in shown


def test_markdown_keeps_raw_html_and_unsafe_links_as_text() -> None:
    markup = markdown("Click [me](javascript:alert(1)) <b>now</b> ![pic](file:///etc/passwd)")
    assert "#link" not in markup
    shown = typeset_text(markup)
    assert "<b>now</b>" in shown and "javascript:alert(1)" in shown and "pic" in shown


def test_a_relative_link_keeps_its_text_only() -> None:
    assert markdown("See [the notes](notes.md).", tight=True) == "See the notes\\."


def test_usage_errors_are_reported_at_once(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    status = main(["book", str(SPEC_EXAMPLE), "-o", str(tmp_path / "book.txt"), "-j", "0"])
    assert status == EXIT_USAGE
    err = capsys.readouterr().err
    assert "-o: the book is a .pdf file" in err and "--jobs" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["book", str(empty), "-o", str(tmp_path / "book.pdf")]) == EXIT_USAGE
    assert "nothing to put in a book" in capsys.readouterr().err


def test_an_invalid_blueprint_writes_no_book(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    invalid = Path(__file__).parent / "data" / "invalid" / "bad-flow-style.yaml"
    out = tmp_path / "book.pdf"
    assert main(["book", str(invalid), "-o", str(out)]) == EXIT_INVALID
    assert "bad-flow-style.yaml:" in capsys.readouterr().err
    assert not out.exists()


def test_without_graphviz_the_book_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr("archgen.book.diagrams.shutil.which", lambda _name: None)
    assert main(["book", str(SPEC_EXAMPLE), "-o", str(tmp_path / "b.pdf")]) == EXIT_GRAPHVIZ
    assert "install Graphviz" in capsys.readouterr().err


def test_a_typst_failure_is_a_message_and_the_old_book_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr("archgen.book.pdf.render_diagrams", lambda *args, **kwargs: None)
    monkeypatch.setattr("archgen.book.pdf.book_source", lambda *args: '#image("missing.svg")')
    out = tmp_path / "book.pdf"
    out.write_bytes(b"the old book")
    assert main(["book", str(SPEC_EXAMPLE), "-o", str(out)]) == EXIT_OUTPUT
    err = capsys.readouterr().err
    assert "Typst could not typeset the book" in err and "Traceback" not in err
    assert out.read_bytes() == b"the old book"
