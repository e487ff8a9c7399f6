"""archgen: ML system design diagrams as code.

The Python API behind the command line, for notebooks and other tools:

>>> import archgen
>>> blueprint = archgen.load("blueprints/video-recommendation.yaml")  # doctest: +SKIP
>>> archgen.build(blueprint, Path("output"))  # doctest: +SKIP

Importing archgen stays light, so `archgen validate` and a gallery with
nothing to redraw never load Jinja, Markdown or the rasterizer: `load` needs
only YAML and the catalog, `build` imports the renderer when first called,
and `render_gallery` is imported on first use (PEP 562).

Every error archgen raises on purpose is an `ArchgenError`; each kind
carries the exit code the command line ends with (`exit_code`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# `build` is also the name of the submodule defining it: imported here, the
# function keeps the name (a submodule imported later would take it).
from archgen.build import BuildOptions, build
from archgen.errors import (
    ArchgenError,
    BlueprintError,
    GraphvizError,
    GraphvizFailed,
    GraphvizMissing,
    OutputError,
    UsageError,
)
from archgen.parse.load import load

if TYPE_CHECKING:
    from archgen.gallery import render_gallery

__version__ = "0.1.0"

__all__ = [
    "ArchgenError",
    "BlueprintError",
    "BuildOptions",
    "GraphvizError",
    "GraphvizFailed",
    "GraphvizMissing",
    "OutputError",
    "UsageError",
    "__version__",
    "build",
    "load",
    "render_gallery",
]


def __getattr__(name: str) -> Any:
    """`render_gallery` on first use: the gallery brings process pools and cache code."""
    if name != "render_gallery":
        raise AttributeError(f"module 'archgen' has no attribute {name!r}")
    from archgen.gallery import render_gallery

    return render_gallery
