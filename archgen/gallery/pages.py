"""The gallery's index pages: one card per blueprint, by family and level, filters by tag.

Rendering them needs Jinja and Markdown, which are imported only when a
page is written: a run with nothing to redraw leaves the pages as they are.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import archgen
from archgen.build import BuildOptions
from archgen.files import write_atomic
from archgen.format import FAMILIES, LEVELS, names
from archgen.gallery.environment import digest_of
from archgen.gallery.related import Profile, profile_of
from archgen.model import Blueprint, Relative
from archgen.narrate.templates import templates_digest

# The index pages: (template, file in the output folder).
INDEX_PAGES: tuple[tuple[str, str], ...] = (
    ("gallery.html.j2", "index.html"),
    ("gallery.md.j2", "README.md"),
)
# Up to this many distinct tags, every tag gets a filter button.
FEATURED_TAGS_ALWAYS = 12
# The heading of the case studies that name no family, after those that do.
OTHER_CASES = "Other case studies"


@dataclass(frozen=True)
class Card:
    """What the index pages show of one blueprint, and what relating it to the others
    needs (`related.Profile`): the gallery keeps it for a blueprint it does not read again."""

    id: str
    title: str
    summary: str
    tags: tuple[str, ...]
    source: str
    thumbnail: str
    page: str
    # The interview drill beside the page ("" when the narrative was not written).
    practice: str
    components: int
    flows: int
    # The design review's findings counted in words ("2 warnings", "clean"), and the
    # most severe one's severity ("clean" when there is none), for the card's badge.
    review: str
    review_level: str
    # Its place in the curriculum: a family and a level, "" when it gives none.
    family: str = ""
    level: str = ""
    # What `related.Profile` holds: the ids `related` names, the files it extends, its kinds.
    related: tuple[str, ...] = ()
    extends: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    # The digest of the relatives its page links to: when they change, the page is redrawn.
    relatives: str = ""

    @property
    def profile(self) -> Profile:
        return Profile(self.id, self.title, self.extends, self.kinds, self.related)


@dataclass(frozen=True)
class Section:
    """One family of case studies on the index, easiest first. A gallery that names no
    family has one section, without a title; when some do, those without come last."""

    id: str
    title: str
    about: str
    cards: tuple[Card, ...]


def card_for(
    bp: Blueprint, source: str, outputs: list[str], options: BuildOptions, folder: Path
) -> Card:
    """The card of a blueprint rendered from `source` (its path in the gallery's `folder`)
    into `outputs` (paths in the gallery)."""
    # SVG when there is one: it stays sharp at any size, and a gallery committed
    # without its PNGs still shows every card.
    from archgen.review import review  # here: a run with nothing to redraw makes no card

    thumb = f"{bp.id}/{bp.id}.{'svg' if 'svg' in options.formats else 'png'}"
    result = review(bp)
    profile = profile_of(bp, folder)
    return Card(
        id=bp.id,
        title=bp.title,
        summary=bp.summary,
        tags=bp.tags,
        source=source,
        thumbnail=thumb if thumb in outputs else "",
        page=f"{bp.id}/index.html" if f"{bp.id}/index.html" in outputs else "",
        practice=f"{bp.id}/practice.html" if f"{bp.id}/practice.html" in outputs else "",
        components=len(bp.components),
        flows=len(bp.flows),
        review=result.summary(),
        review_level=result.worst or "clean",
        family=bp.family,
        level=bp.level,
        related=profile.named,
        extends=profile.extends,
        kinds=profile.kinds,
        relatives=relatives_key(bp.relatives),
    )


def relatives_key(relatives: tuple[Relative, ...]) -> str:
    """Everything a page shows of its relatives, as a digest."""
    return digest_of([json.dumps([asdict(relative) for relative in relatives])])


def index_key(env: str, cards: list[Card], options: BuildOptions) -> str:
    """Everything the index pages show: the cards, the gallery templates, and through
    `env` archgen's version, code and options."""
    return digest_of(
        [
            env,
            templates_digest(options.templates, "gallery"),
            json.dumps([asdict(card) for card in cards], sort_keys=True),
        ]
    )


def index_written(out: Path) -> bool:
    return all((out / page).is_file() for _, page in INDEX_PAGES)


def write_index(out: Path, cards: list[Card], options: BuildOptions) -> list[Path]:
    """OUT/index.html and OUT/README.md, rewritten only when their text changes."""
    from archgen.narrate.templates import render_template, template_environment
    from archgen.narrate.text import plain_markdown

    env = template_environment(options.templates, {"md": plain_markdown})
    counts = Counter(tag for card in cards for tag in card.tags)
    by_family = sections(cards)
    context = {
        "cards": cards,
        "sections": by_family,
        "grouped": any(section.title for section in by_family),
        "level_titles": {level.name: level.title for level in LEVELS},
        "tags": sorted(counts, key=str.lower),
        "tag_counts": counts,
        "featured_tags": featured_tags(counts),
        "version": archgen.__version__,
    }
    written = []
    for template, name in INDEX_PAGES:
        text = render_template(env, template, context)
        target = out / name
        if not (target.is_file() and target.read_text(encoding="utf-8") == text):
            write_atomic(target, text)
        written.append(target)
    return written


def sections(cards: list[Card]) -> list[Section]:
    """The cards by family, in the curriculum's order, each family by level then title."""
    levels = names(LEVELS)
    by_level = sorted(
        cards, key=lambda c: (levels.index(c.level) if c.level else len(levels), c.title.lower())
    )
    found = [
        Section(
            family.name,
            family.title,
            family.help,
            tuple(c for c in by_level if c.family == family.name),
        )
        for family in FAMILIES
    ]
    rest = tuple(card for card in by_level if not card.family)
    other = OTHER_CASES if len(rest) < len(cards) else ""
    return [section for section in [*found, Section("other", other, "", rest)] if section.cards]


def featured_tags(counts: Counter[str]) -> list[str]:
    """The tags worth a filter button of their own, most used first.

    A gallery has about four tags per blueprint, most of them on one
    blueprint only: a button each would bury the cards. A tag on a single
    card stays reachable from that card and by search.
    """
    by_use = sorted(counts, key=lambda tag: (-counts[tag], tag.lower()))
    if len(by_use) <= FEATURED_TAGS_ALWAYS:
        return by_use
    return [tag for tag in by_use if counts[tag] > 1]
