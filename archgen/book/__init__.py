"""The study book: every case study of a gallery in one PDF, typeset with Typst.

One module per job: `markup` escapes blueprint text and converts its Markdown
to Typst markup, `chapters` writes a case study's chapter, `document` the
whole source (cover, contents, guide), `diagrams` renders the SVGs the
chapters show, and `pdf` typesets them into the PDF. `archgen book` is the
command line's door to it; a notebook calls the same function:

>>> from archgen.book import write_book
>>> from archgen.cards import collect_blueprints
>>> write_book(collect_blueprints([Path("blueprints")]), Path("book.pdf"))  # doctest: +SKIP
"""

from archgen.book.document import DEFAULT_TITLE, book_source
from archgen.book.pdf import write_book

__all__ = ["DEFAULT_TITLE", "book_source", "write_book"]
