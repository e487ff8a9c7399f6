"""archgen: ML system design diagrams as code.

The Python API behind the command line, for notebooks and other tools:

>>> import archgen
>>> blueprint = archgen.load("blueprints/video-recommendation.yaml")  # doctest: +SKIP
>>> archgen.build(blueprint, Path("output"))  # doctest: +SKIP
"""

__version__ = "0.1.0"

from archgen.build import BuildOptions, build  # noqa: E402
from archgen.diagnostics import BlueprintError  # noqa: E402
from archgen.gallery import render_gallery  # noqa: E402
from archgen.load import load  # noqa: E402

__all__ = ["BlueprintError", "BuildOptions", "__version__", "build", "load", "render_gallery"]
