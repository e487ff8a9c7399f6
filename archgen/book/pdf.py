"""The study book as a PDF: diagrams rendered, Typst source written, typeset, moved into place.

Typeset with Typst through its Python package (`typst` on PyPI), which
bundles the compiler: no LaTeX, no browser, no system library. Typst draws
the SVG diagrams as vector graphics, makes the contents and the PDF outline
clickable from the headings, and numbers the pages. Its fonts are its own
(Libertinus Serif, DejaVu Sans Mono), plus the system's for the diagrams'
DejaVu Sans, so the same blueprints give the same book on machines with the
same fonts.

Everything is built in a temporary folder that is removed afterwards; the
PDF is written whole or not at all (`files.write_atomic`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from archgen.book.diagrams import render_diagrams
from archgen.book.document import DEFAULT_TITLE, STYLE_FILE, book_source, style
from archgen.errors import OutputError
from archgen.files import write_atomic
from archgen.gallery import Progress
from archgen.model import Blueprint

SOURCE_FILE = "book.typ"


def write_book(
    blueprints: Sequence[Blueprint],
    out: Path,
    *,
    title: str = DEFAULT_TITLE,
    flavor: str | None = None,
    jobs: int | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> None:
    """Write the study book of `blueprints`, in the order given, to the PDF `out`.

    Raises GraphvizError when a diagram cannot be drawn, BlueprintError for an
    invalid blueprint, OutputError when the book cannot be typeset or written.
    `progress` hears of each case study whose diagrams are drawn.
    """
    with tempfile.TemporaryDirectory(prefix="archgen-book-") as name:
        folder = Path(name)
        render_diagrams(blueprints, folder, flavor=flavor, jobs=jobs, progress=progress)
        (folder / STYLE_FILE).write_text(style(), encoding="utf-8")
        (folder / SOURCE_FILE).write_text(book_source(blueprints, title), encoding="utf-8")
        pdf = typeset(folder / SOURCE_FILE, out)
    write_atomic(out, pdf)


def typeset(source: Path, out: Path) -> bytes:
    """The PDF of the Typst file `source`; files it reads must lie in its folder.

    A Typst error means the generated source is wrong (archgen escapes every
    text it writes) or a diagram is missing: it is reported as the book that
    could not be written, with Typst's own message.
    """
    import typst

    try:
        return typst.compile(source, root=source.parent)
    except typst.TypstError as error:
        raise OutputError(out, f"Typst could not typeset the book: {error.message}") from error
