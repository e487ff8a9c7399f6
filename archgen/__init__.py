"""archgen: ML system design diagrams as code.

The Python API behind the command line, for notebooks and other tools:

>>> import archgen
>>> blueprint = archgen.load("blueprints/video-recommendation.yaml")  # doctest: +SKIP
>>> archgen.build(blueprint, Path("output"))  # doctest: +SKIP
"""

__version__ = "0.1.0"

from archgen.build import BuildOptions, build
from archgen.diagnostics import BlueprintError
from archgen.gallery import render_gallery
from archgen.load import load

__all__ = ["BlueprintError", "BuildOptions", "__version__", "build", "load", "render_gallery"]
