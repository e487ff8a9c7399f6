"""OUT/.archgen-cache.json: per blueprint, what it depended on and what it wrote.

A blueprint whose own file, the fragments it extends, its icons and the
environment (`environment.environment_key`) all hash as before is skipped
without being read. The cache is saved after every finished blueprint,
atomically, so a killed run keeps what it finished. A missing, truncated or
hand-edited cache only costs a re-render of what it no longer vouches for.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, fields
from pathlib import Path

from archgen.files import write_atomic
from archgen.gallery.environment import file_digest
from archgen.gallery.pages import Card
from archgen.model import Blueprint

CACHE_NAME = ".archgen-cache.json"
CARD_TEXTS = (
    "id",
    "title",
    "summary",
    "source",
    "thumbnail",
    "page",
    "practice",
    "review",
    "review_level",
    "family",
    "level",
    "relatives",
)
CARD_LISTS = ("tags", "related", "extends", "kinds")
CARD_FIELDS = frozenset(f.name for f in fields(Card))


class Cache:
    """The saved entries of one output folder, made in one environment."""

    def __init__(self, path: Path, env: str, entries: dict[str, dict], index: str = ""):
        self.path = path
        # Whether a blueprint that fails keeps the entry of its last good render, and so
        # its card: `archgen watch` keeps whatever rendered last while an edit is broken.
        self.keep_failed = False
        self.env = env
        self.entries = entries
        # The `pages.index_key` of the index pages last written.
        self.index = index
        self.out = path.parent

    @classmethod
    def open(cls, out: Path, env: str, force: bool) -> Cache:
        path = out / CACHE_NAME
        data = {} if force else _saved_data(path, env)
        index = data.get("index")
        return cls(path, env, _saved_entries(data), index if isinstance(index, str) else "")

    def fresh(self, rel: str, folder: Path) -> dict | None:
        """The cache entry when nothing it depends on changed and its outputs are all there."""
        entry = self.entries.get(rel)
        if entry is None:
            return None
        for dep, digest in entry["deps"].items():
            dep_path = folder / dep
            if not dep_path.is_file() or file_digest(dep_path) != digest:
                return None
        if not all((self.out / f).is_file() for f in entry.get("outputs", [])):
            return None
        return entry

    def store(self, folder: Path, bp: Blueprint, outputs: list[str], card: Card) -> None:
        self.entries[card.source] = {
            "id": bp.id,
            "deps": self._digests(dependencies(bp), folder),
            "outputs": outputs,
            # as JSON has it: lists, not tuples
            "card": {**asdict(card), **{name: list(getattr(card, name)) for name in CARD_LISTS}},
        }
        self.save()

    def store_fragment(self, rel: str, folder: Path, path: Path) -> None:
        self.entries[rel] = {"fragment": True, "deps": self._digests([path], folder)}
        self.save()

    def failed(self, rel: str) -> None:
        """A blueprint that did not render leaves the index, unless `keep_failed`: its
        entry, whose digests no longer match, is then checked again on the next run."""
        if not self.keep_failed:
            self.forget(rel)

    def forget(self, rel: str) -> None:
        if self.entries.pop(rel, None) is not None:
            self.save()

    def _digests(self, paths: Iterable[Path], folder: Path) -> dict[str, str]:
        root = folder.resolve()
        return {os.path.relpath(p.resolve(), root): file_digest(p) for p in paths}

    def save(self) -> None:
        data = {
            "env": self.env,
            "index": self.index,
            "blueprints": dict(sorted(self.entries.items())),
        }
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True))

    def cards(self, present: set[str]) -> list[Card]:
        """Cards of the blueprints that exist and rendered, by title."""
        cards = [card_from_json(e.get("card")) for rel, e in self.entries.items() if rel in present]
        return sorted(filter(None, cards), key=lambda c: c.title.lower())


def dependencies(bp: Blueprint) -> list[Path]:
    """Every file a blueprint was made from: its own, the fragments it extends, its icons."""
    return [*bp.sources, *(c.icon for c in bp.components.values() if c.icon is not None)]


def card_from_json(data: object) -> Card | None:
    """A card as the cache stored it, or None when the cache was tampered with."""
    if not isinstance(data, dict) or set(data) != CARD_FIELDS:
        return None
    well_typed = (
        all(isinstance(data[name], str) for name in CARD_TEXTS)
        and all(isinstance(data[name], int) for name in ("components", "flows"))
        and all(_string_list(data[name]) for name in CARD_LISTS)
    )
    if not well_typed:
        return None
    return Card(**{**data, **{name: tuple(data[name]) for name in CARD_LISTS}})


def _saved_data(path: Path, env: str) -> dict:
    """The saved cache when it was made in this environment, else an empty one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("env") != env:
        return {}
    return data


def _saved_entries(data: dict) -> dict[str, dict]:
    """The well-formed blueprint entries of a saved cache."""
    saved = data.get("blueprints")
    if not isinstance(saved, dict):
        return {}
    return {rel: entry for rel, entry in saved.items() if _well_formed(entry)}


def _well_formed(entry: object) -> bool:
    if not isinstance(entry, dict) or not _string_map(entry.get("deps")):
        return False
    if entry.get("fragment") is True:
        return True
    return (
        isinstance(entry.get("id"), str)
        and _string_list(entry.get("outputs"))
        and card_from_json(entry.get("card")) is not None
    )


def _string_map(value: object) -> bool:
    return isinstance(value, dict) and _string_list([*value, *value.values()])


def _string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
