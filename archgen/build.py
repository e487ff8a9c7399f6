"""One blueprint to every output: diagrams first, then the narrative over them.

The command line and the gallery both come through here, so a blueprint
renders the same way whichever asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archgen.model import Blueprint

# The formats `archgen.render.diagrams.render` writes unless asked. Kept here, not in the renderer, so
# that options can be made and checked without importing it, which `archgen
# validate` and a gallery with nothing to redraw never use.
FORMATS: tuple[str, ...] = ("svg", "png", "dot")
# Every format it can write: besides those it writes unless asked, copies of the
# diagram for other tools (`archgen.export`): Mermaid `<id>.mmd`, draw.io `<id>.drawio`.
ALL_FORMATS: tuple[str, ...] = (*FORMATS, "mermaid", "drawio")
# A gallery is read as pages, and its pages show SVG: PNGs, for pasting one
# diagram into slides, would be three quarters of its cost and its weight for
# nothing a reader of the gallery sees. `--format svg,png,dot` asks for them.
GALLERY_FORMATS: tuple[str, ...] = ("svg", "dot")
# `archgen watch` redraws on every save: SVG alone is what its pages show, and fast.
WATCH_FORMATS: tuple[str, ...] = ("svg",)


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = FORMATS
    flavor: str | None = None
    steps: bool = True
    narrative: bool = True
    templates: Path | None = None

    @property
    def image_ext(self) -> str | None:
        """The image format the narrative shows: SVG when there is one."""
        return next((ext for ext in ("svg", "png") if ext in self.formats), None)


DEFAULT_OPTIONS = BuildOptions()


@dataclass(frozen=True)
class OptionProblem:
    """Why `options` cannot work, in the library's terms: `fields` names the BuildOptions
    fields concerned, so a front end can point at its own way of setting them."""

    fields: tuple[str, ...]
    message: str


def check_options(options: BuildOptions) -> list[OptionProblem]:
    """Every problem with a combination of options, so that all are reported at once."""
    problems = [
        OptionProblem(("formats",), f"unknown format '{f}' (choose from {', '.join(ALL_FORMATS)})")
        for f in options.formats
        if f not in ALL_FORMATS
    ]
    if options.narrative and options.image_ext is None:
        problems.append(
            OptionProblem(
                ("formats", "narrative"),
                "the narrative shows the diagrams, so it needs svg or png among the formats",
            )
        )
    if options.templates is not None and not options.templates.is_dir():
        problems.append(OptionProblem(("templates",), f"{options.templates} is not a folder"))
    return problems


def build(blueprint: Blueprint, out: Path, options: BuildOptions = DEFAULT_OPTIONS) -> list[Path]:
    """Write a blueprint's diagrams and narrative into `out/<id>/`; return the files written.

    The narrative is README.md, index.html and practice.html, the interview drill
    that index.html links to: one is never written without the others."""
    from archgen.narrate.narrative import narrate
    from archgen.narrate.practice import write_practice
    from archgen.render.diagrams import render

    written = render(
        blueprint, out, formats=options.formats, flavor=options.flavor, steps=options.steps
    )
    if options.narrative and options.image_ext is not None:
        for write_pages in (narrate, write_practice):
            written += write_pages(
                blueprint,
                out,
                image_ext=options.image_ext,
                step_diagrams=options.steps,
                templates=options.templates,
            )
    return written
