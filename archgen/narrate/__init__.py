"""The narrative: templates, Markdown, and the walk through the architecture."""
