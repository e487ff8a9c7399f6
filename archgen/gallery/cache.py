"""OUT/.archgen-cache.json: per blueprint, what it depended on and what it wrote.

A blueprint whose own file, the fragments it extends, its icons and the
environment (`environment.environment_key`) all hash as before is skipped
without being read. The cache is saved after every finished blueprint,
atomically, so a killed run keeps what it finished. A blueprint that fails
keeps the entry of its last good render, marked stale, so that its card stays
in the index saying why it was not updated.

Whoever can write the output folder can write the cache, and the index pages
are made from it: every entry is checked on reading, down to each path and
link (relative, inside the folder, named as archgen names them). A missing,
truncated, huge or hand-edited cache only costs a re-render of what it no
longer vouches for.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, fields
from pathlib import Path

from archgen.errors import OutputError
from archgen.files import UnusableInput, read_input, write_atomic
from archgen.format import FAMILIES, LEVELS, is_id, is_slug, names
from archgen.gallery.discovery import BLUEPRINT_SUFFIXES
from archgen.gallery.environment import file_digest
from archgen.gallery.pages import Card, card_links
from archgen.model import Blueprint
from archgen.review.severity import SEVERITIES

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
    "stale",
)
CARD_LISTS = ("tags", "related", "extends", "kinds")
CARD_FIELDS = frozenset(f.name for f in fields(Card))
# A cache larger than this is not read: a gallery of ten thousand blueprints
# needs about a tenth of it.
CACHE_MAX_BYTES = 64 * 1024 * 1024
REVIEW_LEVELS = frozenset((*SEVERITIES, "clean"))
FAMILY_NAMES = frozenset(("", *names(FAMILIES)))
LEVEL_NAMES = frozenset(("", *names(LEVELS)))
# A file's digest, as `environment.file_digest` writes it: SHA-256 in hex.
DIGEST = re.compile(r"[0-9a-f]{64}")
# What a path in the cache may not contain: a scheme's or drive's colon, a
# backslash, control characters.
UNSAFE_IN_PATH = re.compile(r"[:\\\x00-\x1f\x7f]")


class Cache:
    """The saved entries of one output folder, made in one environment."""

    def __init__(
        self, path: Path, env: str, entries: dict[str, dict], index: str = "", trusted: bool = True
    ):
        self.path = path
        self.env = env
        self.entries = entries
        # Whether an entry may vouch for its outputs: not when they were made in another
        # environment, or with `--force`. Its card still stands in for a failed render.
        self.trusted = trusted
        # The `pages.index_key` of the index pages last written.
        self.index = index
        self.out = path.parent
        # Why the cache could not be saved last (a full disk), if it could not: the run
        # goes on, and the next one re-renders what this one did not record.
        self.unsaved: OutputError | None = None
        # The files read so far, by path: most blueprints extend the same few fragments.
        self.read: dict[Path, str] = {}

    @classmethod
    def open(cls, out: Path, env: str, force: bool) -> Cache:
        path = out / CACHE_NAME
        data = _saved_data(path)
        index = data.get("index")
        trusted = not force and data.get("env") == env
        index = index if trusted and isinstance(index, str) else ""
        return cls(path, env, _saved_entries(data), index, trusted)

    def fresh(self, rel: str, folder: Path) -> dict | None:
        """The cache entry when nothing it depends on changed and its outputs are all there."""
        entry = self.entries.get(rel)
        if not self.trusted or entry is None or entry.get("card", {}).get("stale"):
            return None
        try:
            changed = any(
                self._digest(folder / dep) != digest for dep, digest in entry["deps"].items()
            )
        except OSError:  # gone or unreadable now: loading it says why
            return None
        if changed or not all((self.out / f).is_file() for f in entry.get("outputs", [])):
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

    def failed(self, rel: str, reason: str) -> None:
        """A blueprint that did not render keeps the card of its last good render, marked
        stale with `reason`, and is rendered again on the next run. Its links to files
        that are gone are dropped."""
        card = self.entries.get(rel, {}).get("card")
        if card is None:
            self.forget(rel)
            return
        card["stale"] = reason
        for link in card_links(card["id"]):
            if card[link] and not (self.out / card[link]).is_file():
                card[link] = ""
        self.save()

    def forget(self, rel: str) -> None:
        if self.entries.pop(rel, None) is not None:
            self.save()

    def _digest(self, path: Path) -> str:
        """The file's digest, read once a run. A file changed during the run is at worst
        rendered again by the next: what a render stores is read afresh."""
        if path not in self.read:
            self.read[path] = file_digest(path)
        return self.read[path]

    def _digests(self, paths: Iterable[Path], folder: Path) -> dict[str, str]:
        root = folder.resolve()
        return {os.path.relpath(p.resolve(), root): file_digest(p) for p in paths}

    def save(self) -> None:
        data = {
            "env": self.env,
            "index": self.index,
            "blueprints": dict(sorted(self.entries.items())),
        }
        try:
            write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True))
        except OutputError as error:
            self.unsaved = error
        else:
            self.unsaved = None

    def cards(self, present: set[str]) -> list[Card]:
        """Cards of the blueprints that exist and rendered, this time or (marked stale)
        before, by title."""
        cards = [card_from_json(e.get("card")) for rel, e in self.entries.items() if rel in present]
        return sorted(filter(None, cards), key=lambda c: c.title.lower())


def dependencies(bp: Blueprint) -> list[Path]:
    """Every file a blueprint was made from: its own, the fragments it extends, its icons."""
    return [*bp.sources, *(c.icon for c in bp.components.values() if c.icon is not None)]


def card_from_json(data: object) -> Card | None:
    """A card as the cache stored it, or None when the cache was tampered with: every
    link must be one that archgen makes for the card's id."""
    if not isinstance(data, dict) or set(data) != CARD_FIELDS:
        return None
    well_typed = (
        all(isinstance(data[name], str) for name in CARD_TEXTS)
        and all(_count(data[name]) for name in ("components", "flows"))
        and all(_string_list(data[name]) for name in CARD_LISTS)
    )
    if not (well_typed and _safe_names(data) and _safe_links(data)):
        return None
    return Card(**{**data, **{name: tuple(data[name]) for name in CARD_LISTS}})


def _safe_names(card: dict) -> bool:
    """Whether every name on the card is one archgen could have written: the ids, paths,
    curriculum choices, review level and digest it makes."""
    return (
        is_slug(card["id"])
        and _inside(card["source"])
        and card["family"] in FAMILY_NAMES
        and card["level"] in LEVEL_NAMES
        and card["review_level"] in REVIEW_LEVELS
        and DIGEST.fullmatch(card["relatives"]) is not None
        and all(map(is_slug, card["related"]))
        and all(map(_inside, card["extends"]))
        and all(map(is_id, card["kinds"]))
    )


def _safe_links(card: dict) -> bool:
    """Whether every link is one archgen makes for the card's id."""
    return all(card[link] in ("", *paths) for link, paths in card_links(card["id"]).items())


def _saved_data(path: Path) -> dict:
    """The saved cache, or an empty one when it is missing, not JSON, too large or not a
    file at all (a FIFO put in its place would block a plain read forever)."""
    try:
        text = read_input(path, CACHE_MAX_BYTES)
        data = json.loads(text) if len(text) <= CACHE_MAX_BYTES else None
    except (UnusableInput, ValueError, RecursionError):  # RecursionError: nested too deeply
        return {}
    return data if isinstance(data, dict) else {}


def _saved_entries(data: dict) -> dict[str, dict]:
    """The well-formed blueprint entries of a saved cache."""
    saved = data.get("blueprints")
    if not isinstance(saved, dict):
        return {}
    return {rel: entry for rel, entry in saved.items() if _well_formed(rel, entry)}


def _well_formed(rel: str, entry: object) -> bool:
    if not (_blueprint_path(rel) and isinstance(entry, dict) and _digest_map(entry.get("deps"))):
        return False
    if entry.get("fragment") is True:
        return set(entry) == {"fragment", "deps"}
    if set(entry) != {"id", "deps", "outputs", "card"}:
        return False
    ident, outputs = entry["id"], entry["outputs"]
    card = card_from_json(entry.get("card"))
    return (
        card is not None
        and card.id == ident
        and card.source == rel
        and _string_list(outputs)
        and all(_inside(path) and path.startswith(f"{ident}/") for path in outputs)
    )


def _blueprint_path(rel: str) -> bool:
    return _inside(rel) and rel.endswith(BLUEPRINT_SUFFIXES)


def _inside(path: object) -> bool:
    """Whether `path` is relative, and stays inside the folder it is relative to."""
    if not isinstance(path, str) or not path or UNSAFE_IN_PATH.search(path):
        return False
    return not path.startswith("/") and ".." not in path.split("/")


def _digest_map(value: object) -> bool:
    return isinstance(value, dict) and all(
        _inside(dep) and isinstance(digest, str) and DIGEST.fullmatch(digest)
        for dep, digest in value.items()
    )


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
