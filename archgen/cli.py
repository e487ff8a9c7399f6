"""The command line: a thin shell over the Python API."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    return 0
