"""Reading a blueprint: YAML with marks, composition and validation, into the typed model."""
