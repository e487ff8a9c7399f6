"""`archgen watch`: render again on every save, and show the result in a browser.

One module per job: `targets` knows what a save touches and renders it (one
blueprint, or a folder through the gallery's cache), `loop` waits for saves
with watchfiles, and `serve` hands the output folder to a browser, its pages
reloading themselves after each render. Like the gallery, it reports through
what it returns, and leaves the words on screen to the command line.
"""

from archgen.watch.loop import WATCH_OPTIONS, watch
from archgen.watch.serve import PreviewServer
from archgen.watch.targets import WatchPass

__all__ = ["WATCH_OPTIONS", "PreviewServer", "WatchPass", "watch"]
