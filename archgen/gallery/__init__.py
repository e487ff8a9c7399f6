"""Many blueprints at once: in parallel, incrementally, with an index page.

One module per job: `discovery` finds the blueprints and keeps their ids
apart, `cache` and `environment` decide what is stale, `workers` render it on
every core, `pages` write the index, and `run` puts them together. A run
reports its progress through a callback and its failures in its report: it
knows nothing of the terminal, which is the command line's.
"""

from archgen.gallery.discovery import case_studies
from archgen.gallery.run import GalleryReport, Progress, render_gallery

__all__ = ["GalleryReport", "Progress", "case_studies", "render_gallery"]
