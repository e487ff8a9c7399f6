"""The narrative: README.md and index.html that walk through a blueprint.

Both files come from Jinja2 templates that receive the same variables
(:func:`template_context`):

``blueprint``
    the :class:`archgen.model.Blueprint` itself, for anything not listed here.
``title``, ``summary``, ``tags``
    the blueprint's title (plain text), summary (Markdown, may be empty) and
    tags (plain text, blank ones left out).
``overview``
    an :class:`Image` (``src``, ``alt``) of the whole architecture.
``steps``
    the framework steps worth showing, in framework order, each a
    :class:`StepView`: ``number``, ``name``, ``title``, ``anchor`` (an HTML id),
    ``fields``, ``notes`` (Markdown, may be empty) and ``diagram`` (an
    :class:`Image`, or None). A step with neither text nor diagram is left out.
    Each field is a :class:`archgen.narrate.fields.Field`: ``key``, ``label``
    (readable, e.g. "Non-functional requirements"), ``kind`` (``"text"``,
    ``"list"``, ``"table"`` or ``"pairs"``), ``text``, ``items``, ``rows``
    (label, value pairs, under the headings ``columns``) or ``pairs`` to
    match, and ``inline`` (the text is one paragraph, so it may follow its
    label on the same line). Each of ``pairs`` has ``text``, ``answer`` and
    ``inline``; the field's ``answers`` says whether an answer follows its
    item (``"inline"``) or goes under it (``"folded"``), after ``lead``
    ("Assumed:", or nothing).
``walk_title``, ``walk``
    the heading and the stops of the walk along the flows
    (:func:`archgen.walk.walk`): each stop has ``component`` and ``prose``.
``review``
    the design review's findings by step
    (:class:`archgen.narrate.review_section.ReviewSection`), for a section
    near the end of the page.
``references``
    the blueprint's :class:`archgen.model.Reference` s with an http(s) URL:
    ``url``, ``title`` (may be empty: show the URL) and ``note`` (Markdown).
``relatives``
    the case studies of the gallery the page links to (none outside a
    gallery), each a :class:`RelativeView`: ``id`` (its folder beside this
    one's), ``title``, ``named`` (one of the two names the other in
    ``related``) and ``shared`` (what the two share, as plain text; empty
    when they were only named).
``study_notes``
    true when the page shows an answer or a reference, so it needs their style.

Blueprint text must go through a filter that escapes it for the output:
``text`` (plain text such as labels), ``markdown`` (Markdown blocks;
``markdown(tight=True)`` drops the paragraph around a one-paragraph text, for
list items), ``markdown_inline`` (Markdown on one line, e.g. a table cell),
``url`` (a reference's URL as a link destination) and ``prose`` (a walk
paragraph; in HTML its mentions of components link to their paragraphs, whose
ids the ``component_anchor`` filter gives). The HTML template has autoescape
on as well.

Images are linked relatively, so the folder can be moved, published or
committed as it is, and nothing written depends on the output folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from archgen.catalog import Catalog, load_catalog
from archgen.files import write_atomic
from archgen.format import url_problem
from archgen.model import Blueprint, Relative, Step
from archgen.narrate.fields import Field, field_view
from archgen.narrate.review_section import review_section
from archgen.narrate.templates import render_template, template_environment
from archgen.narrate.text import (
    markdown_html,
    markdown_inline_html,
    markdown_url,
    plain_html,
    plain_markdown,
    safe_markdown,
    table_cell_markdown,
)
from archgen.narrate.walk import Prose, common_noun, walk

IMAGE_FORMATS: tuple[str, ...] = ("svg", "png")
WALK_TITLE = "The architecture, step by step"


@dataclass(frozen=True)
class Image:
    src: str
    alt: str


@dataclass(frozen=True)
class StepView:
    number: int
    name: str
    title: str
    anchor: str
    fields: tuple[Field, ...]
    notes: str
    diagram: Image | None


@dataclass(frozen=True)
class RelativeView:
    id: str
    title: str
    named: bool
    shared: str


@dataclass(frozen=True)
class _Output:
    """One narrative file: its template, its name, and how it escapes text."""

    template: str
    filename: str
    filters: dict[str, Callable[..., Any]]


def narrate(
    blueprint: Blueprint,
    out: Path,
    *,
    image_ext: str = "svg",
    step_diagrams: bool = True,
    templates: Path | None = None,
) -> list[Path]:
    """Write ``out/ID/README.md`` and ``out/ID/index.html``; return their paths.

    Both link the diagrams in ``image_ext``, SVG by default: archgen's SVG is
    self-contained (icons embedded), stays sharp at any zoom, is smaller than
    a large PNG, and GitHub, GitLab and every browser show it through an
    ordinary image link. PNG is there for viewers that refuse SVG (some
    Markdown previews, e-mail). ``templates`` is a folder whose
    ``narrative.md.j2`` / ``narrative.html.j2`` replace the built-in ones,
    file by file. A broken user template raises BlueprintError.
    """
    if image_ext not in IMAGE_FORMATS:
        raise ValueError(f"image_ext must be one of {IMAGE_FORMATS}, not {image_ext!r}")
    context = template_context(blueprint, image_ext=image_ext, step_diagrams=step_diagrams)
    folder = out / blueprint.id
    written = []
    for output in (MARKDOWN, HTML):
        text = render_template(
            template_environment(templates, output.filters), output.template, context
        )
        path = folder / output.filename
        write_atomic(path, text.rstrip("\n") + "\n")
        written.append(path)
    return written


def template_context(
    blueprint: Blueprint,
    *,
    image_ext: str = "svg",
    step_diagrams: bool = True,
    catalog: Catalog | None = None,
) -> dict[str, Any]:
    """The variables every narrative template receives (listed in the module docstring)."""
    views = (step_view(step, image_ext, step_diagrams) for step in blueprint.steps)
    steps = tuple(view for view in views if view.fields or view.notes or view.diagram)
    fields = [field for view in steps for field in view.fields]
    references = tuple(ref for ref in blueprint.references if not url_problem(ref.url))
    catalog = catalog or load_catalog()
    return {
        "blueprint": blueprint,
        "title": blueprint.title,
        "summary": blueprint.summary.strip(),
        "tags": tuple(tag for tag in blueprint.tags if tag.strip()),
        "overview": Image(f"{blueprint.id}.{image_ext}", f"Architecture of {blueprint.title}"),
        "steps": steps,
        "walk_title": WALK_TITLE,
        "walk": walk(blueprint, catalog),
        "review": review_section(blueprint),
        "references": references,
        "relatives": tuple(relative_view(r, catalog) for r in blueprint.relatives),
        "study_notes": bool(references) or any(f.kind == "pairs" for f in fields),
    }


def relative_view(relative: Relative, catalog: Catalog) -> RelativeView:
    """A relative with what it shares in words: the files both extend, then the kinds."""
    kinds = (common_noun(catalog.kinds[kind].label) for kind in relative.kinds)
    return RelativeView(
        relative.id, relative.title, relative.named, ", ".join([*relative.extends, *kinds])
    )


def step_view(step: Step, image_ext: str, step_diagrams: bool) -> StepView:
    """A step ready for a template: the narrative shows it, the practice page hides it as an answer."""
    fields = (field_view(step.name, key, value) for key, value in step.fields)
    diagram = None
    if step_diagrams and step.focus:
        alt = f"Step {step.number}, {step.title}: the components it involves, highlighted"
        diagram = Image(f"{step.slug}.{image_ext}", alt)
    return StepView(
        number=step.number,
        name=step.name,
        title=step.title,
        anchor=step.slug,
        fields=tuple(f for f in fields if f is not None),
        notes=step.notes.strip(),
        diagram=diagram,
    )


def prose_markdown(prose: Prose) -> str:
    styles = {"name": "**{}**", "term": "*{}*", "plain": "{}"}
    return "".join(styles[span.style].format(plain_markdown(span.text)) for span in prose)


def prose_html(prose: Prose) -> Markup:
    """A walk paragraph; a mention of a component links to that component's paragraph."""
    styles = {"name": "<strong>{}</strong>", "term": "<em>{}</em>", "plain": "{}"}
    parts = []
    for span in prose:
        html = styles[span.style].format(escape(span.text))
        parts.append(
            f'<a href="#{escape(component_anchor(span.ref))}">{html}</a>' if span.ref else html
        )
    return Markup("".join(parts))


def component_anchor(component_id: str) -> str:
    """The HTML id of a component's paragraph in the walk."""
    return f"component-{component_id}"


def markdown_block(markdown: str, tight: bool = False) -> str:
    """Blueprint Markdown for README.md, unable to change the page around it
    (:func:`archgen.narrate.text.safe_markdown`). ``tight`` is for the HTML
    filter's sake: Markdown lists of one-paragraph items are tight."""
    return safe_markdown(markdown.strip("\n").rstrip())


MARKDOWN = _Output(
    template="narrative.md.j2",
    filename="README.md",
    filters={
        "text": plain_markdown,
        "markdown": markdown_block,
        "markdown_inline": table_cell_markdown,
        "url": markdown_url,
        "prose": prose_markdown,
        "component_anchor": component_anchor,
    },
)
HTML = _Output(
    template="narrative.html.j2",
    filename="index.html",
    filters={
        "text": plain_html,
        "markdown": markdown_html,
        "markdown_inline": markdown_inline_html,
        "url": escape,
        "prose": prose_html,
        "component_anchor": component_anchor,
    },
)
