"""Drawing the chosen layout: the finished SVG, its icons, the step views and the PNGs."""
