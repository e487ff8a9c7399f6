"""Finding Jinja2 templates: the user's folder first, then the built-in ones.

A wheel installs the built-in templates inside the package
(`archgen/templates`); an editable install leaves them in the repository's
top-level `templates/`. Users override any template file by file with
`--templates DIR`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

from archgen.text import plain_markdown

PACKAGE = Path(__file__).parent


def builtin_templates_dir() -> Path:
    installed = PACKAGE / "templates"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"


def template_environment(user_dir: Path | None = None) -> jinja2.Environment:
    """HTML templates autoescape; Markdown ones escape through the narrative's filters."""
    folders = [str(user_dir)] if user_dir is not None else []
    folders.append(str(builtin_templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2", "htm")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = plain_markdown
    return env


def templates_digest(user_dir: Path | None = None) -> str:
    """A hash of every template that could be used, so the gallery cache notices edits."""
    digest = hashlib.sha256()
    for folder in filter(None, (user_dir, builtin_templates_dir())):
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
