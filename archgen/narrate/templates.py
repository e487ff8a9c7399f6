"""Jinja2 templates: found in the user's folder first, then the built-in ones.

A wheel installs the built-in templates inside the package
(`archgen/templates`); an editable install leaves them in the repository's
top-level `templates/`. Users override any template file by file with
`--templates DIR`. Templates are user input too, so they run sandboxed, and a
mistake in one is reported at its file and line like any other bad input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archgen.diagnostics import Diagnostic, Mark
from archgen.errors import BlueprintError

if TYPE_CHECKING:
    import jinja2

PACKAGE = Path(__file__).resolve().parent.parent


def shipped(folder: str) -> Path:
    """A folder shipped with archgen (`templates`, `schema`): inside the package
    when installed from a wheel, at the top of the repository when editable."""
    installed = PACKAGE / folder
    return installed if installed.is_dir() else PACKAGE.parent / folder


def builtin_templates_dir() -> Path:
    return shipped("templates")


def template_environment(
    user_dir: Path | None = None, filters: Mapping[str, Callable[..., Any]] | None = None
) -> jinja2.Environment:
    """A sandboxed environment; HTML templates autoescape, others escape through `filters`.

    Environments are kept per folder and filters, so a gallery compiles each
    template once; Jinja still notices a template file that changes on disk.
    """
    if user_dir is not None and not user_dir.is_dir():
        raise BlueprintError(
            [Diagnostic(Mark(user_dir, 1, 1), "the templates folder does not exist")]
        )
    return _environment(user_dir, tuple(sorted((filters or {}).items())))


@lru_cache(maxsize=32)
def _environment(
    user_dir: Path | None, filters: tuple[tuple[str, Callable[..., Any]], ...]
) -> jinja2.Environment:
    # Jinja is imported here, not at the top: a gallery with nothing to redraw
    # only hashes the templates (`templates_digest`).
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    folders = [builtin_templates_dir()]
    if user_dir is not None:
        folders.insert(0, user_dir)
    environment = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders]),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(dict(filters))
    return environment


def render_template(environment: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """The rendered template; a mistake in a template becomes a diagnostic at its line.

    Every page archgen writes from a template passes here, so here is where a
    control character that got past loading is made visible, whichever
    filter (or none, in a user's template) it came through.
    """
    import jinja2

    from archgen.narrate.text import visible  # here: it loads Markdown, as Jinja does

    try:
        return visible(environment.get_template(name).render(context))
    except jinja2.TemplateSyntaxError as error:
        mark = Mark(Path(error.filename or name), error.lineno, 1)
        raise BlueprintError([Diagnostic(mark, f"template error: {error.message}")]) from None
    except Exception as error:
        import traceback  # here: only a broken user template needs it

        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")
        ]
        if not frames:
            raise
        mark = Mark(Path(frames[-1].filename), frames[-1].lineno or 1, 1)
        raise BlueprintError([Diagnostic(mark, f"template error: {error}")]) from None


def templates_digest(user_dir: Path | None = None, prefix: str = "") -> str:
    """A hash of the templates named `prefix*` that could be used, so a cache notices edits."""
    digest = hashlib.sha256()
    for folder in filter(None, (user_dir, builtin_templates_dir())):
        for path in sorted(p for p in Path(folder).rglob(f"{prefix}*") if p.is_file()):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
