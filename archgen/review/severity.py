"""The severities a finding can have, apart from the rules: the gallery's cache checks
a card's badge against them without loading the review."""

# In increasing order: a threshold fails on its own severity and those above it.
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
