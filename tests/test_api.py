"""The public API, pinned: a name added to or dropped from `archgen` is a decision.

As httpx's test_api does, the whole of `archgen.__all__` is spelled out here.
"""

from __future__ import annotations

import archgen
from archgen.cli import EXIT_GRAPHVIZ, EXIT_INVALID, EXIT_OUTPUT, EXIT_USAGE


def test_the_public_api() -> None:
    assert archgen.__all__ == [
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
    assert all(getattr(archgen, name) is not None for name in archgen.__all__)


def test_load_build_and_render_gallery_are_the_functions() -> None:
    # `build` is a submodule too: the function must keep the name.
    from archgen import build, load, render_gallery

    assert [load.__name__, build.__name__, render_gallery.__name__] == [
        "load",
        "build",
        "render_gallery",
    ]
    assert archgen.load is load and archgen.build is build


def test_every_error_is_an_archgen_error_carrying_its_exit_code() -> None:
    codes = {
        archgen.BlueprintError: EXIT_INVALID,
        archgen.UsageError: EXIT_USAGE,
        archgen.GraphvizError: EXIT_GRAPHVIZ,
        archgen.GraphvizMissing: EXIT_GRAPHVIZ,
        archgen.GraphvizFailed: EXIT_GRAPHVIZ,
        archgen.OutputError: EXIT_OUTPUT,
    }
    assert [error.exit_code for error in codes] == [1, 2, 3, 3, 3, 4] == list(codes.values())
    assert all(issubclass(error, archgen.ArchgenError) for error in codes)
