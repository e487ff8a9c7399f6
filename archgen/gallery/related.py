"""Which case studies of a gallery relate: those that share structure, and those named.

Two case studies share structure when they extend the same files (fragments,
above all) and draw components of the same kinds. What nearly every case study
has (the monitoring fragment, a model registry) says nothing about either, so
each shared part weighs by how few case studies have it, as a rare word weighs
in text retrieval (its inverse document frequency), and two case studies
relate when the cosine of their weighted parts reaches `SHARED_ENOUGH`. A page
links to at most `MAX_SHARING` of them, the closest first, after those that
either of the two names in `related`.

It runs on every gallery run, one with nothing to redraw included, so it reads
what the cache keeps of each blueprint (its card), never a blueprint file.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

from archgen.diagnostics import Diagnostic, did_you_mean
from archgen.model import Blueprint, Relative

# A cosine this high means the two designs are built alike: on the bundled gallery
# it pairs the two-stage recommenders, the hybrid-retrieval searches and the
# rules-plus-model classifiers, and leaves out pairs that share only common parts.
SHARED_ENOUGH = 0.55
MAX_SHARING = 4
# A page names the shared parts that at most half the case studies have (rarest
# first, at most MAX_SHOWN_KINDS kinds): the others explain nothing.
DISTINCTIVE = math.log(2)
MAX_SHOWN_KINDS = 3


@dataclass(frozen=True)
class Profile:
    """What relating needs of one case study."""

    id: str
    title: str
    # The files it extends, as paths in the gallery's folder, and its components' kinds.
    extends: tuple[str, ...]
    kinds: tuple[str, ...]
    # The ids its `related` names.
    named: tuple[str, ...]

    @cached_property
    def parts(self) -> frozenset[str]:
        return frozenset([*(f"extends:{e}" for e in self.extends), *self.kinds])


def profile_of(blueprint: Blueprint, folder: Path) -> Profile:
    """`folder` is the gallery's: the files extended are named by their path in it."""
    root = folder.resolve()
    extends = (os.path.relpath(source, root) for source in blueprint.sources[:-1])
    return Profile(
        id=blueprint.id,
        title=blueprint.title,
        extends=tuple(sorted(Path(e).as_posix() for e in extends)),
        kinds=tuple(sorted({c.kind for c in blueprint.components.values()})),
        named=blueprint.related,
    )


def unknown_names(named: Iterable[str], profiles: Sequence[Profile]) -> list[str]:
    """The ids among `named` that are no case study of the gallery. A case study that
    failed to load has no id the gallery knows: it counts as missing."""
    known = {p.id for p in profiles}
    return [name for name in named if name not in known]


def naming_warnings(blueprint: Blueprint, profiles: Sequence[Profile]) -> list[Diagnostic]:
    """A warning at each id its `related` names that is no case study of the gallery."""
    known = [p.id for p in profiles]
    return [
        Diagnostic(
            blueprint.mark(f"related.{name}", "related"),
            f"`related` names '{name}', which is no case study of this gallery; no link is made",
            did_you_mean(name, known) or "name the `id` of another blueprint in the gallery",
            severity="warning",
        )
        for name in unknown_names(blueprint.related, profiles)
    ]


def relatives(profiles: Sequence[Profile]) -> dict[str, tuple[Relative, ...]]:
    """Each case study's relatives, by id: the named ones, then the closest in structure."""
    weights = _weights(profiles)
    norms = {profile.id: _norm(profile.parts, weights) for profile in profiles}
    named = _named_pairs(profiles)
    return {
        profile.id: tuple(_relatives_of(profile, profiles, weights, norms, named))
        for profile in profiles
    }


def _relatives_of(
    profile: Profile,
    profiles: Sequence[Profile],
    weights: dict[str, float],
    norms: dict[str, float],
    named: set[frozenset[str]],
) -> Iterable[Relative]:
    others = [other for other in profiles if other.id != profile.id]
    is_named = sorted(
        (other for other in others if frozenset((profile.id, other.id)) in named),
        key=lambda other: (other.title.lower(), other.id),
    )
    scored = sorted(
        (
            (-score, other.title.lower(), other.id, other)
            for other in others
            if other not in is_named
            and (score := _cosine(profile, other, weights, norms)) >= SHARED_ENOUGH
        ),
    )
    for other in is_named:
        yield _relative(profile, other, weights, named=True)
    for *_, other in scored[:MAX_SHARING]:
        yield _relative(profile, other, weights, named=False)


def _relative(profile: Profile, other: Profile, weights: dict[str, float], named: bool) -> Relative:
    """`other` as `profile`'s page shows it, with the distinctive parts the two share."""
    shared = sorted(
        (part for part in profile.parts & other.parts if weights[part] >= DISTINCTIVE),
        key=lambda part: (-weights[part], part),
    )
    extends = tuple(PurePosixPath(p.removeprefix("extends:")).stem for p in shared if _extends(p))
    kinds = tuple(p for p in shared if not _extends(p))[:MAX_SHOWN_KINDS]
    return Relative(other.id, other.title, extends, kinds, named)


def _extends(part: str) -> bool:
    return part.startswith("extends:")


def _weights(profiles: Sequence[Profile]) -> dict[str, float]:
    """Each part's inverse document frequency: 0 for a part every case study has."""
    counts = Counter(part for profile in profiles for part in profile.parts)
    return {part: math.log(len(profiles) / count) for part, count in counts.items()}


def _cosine(a: Profile, b: Profile, weights: dict[str, float], norms: dict[str, float]) -> float:
    norm = norms[a.id] * norms[b.id]
    return _weight(a.parts & b.parts, weights) / norm if norm else 0.0


def _norm(parts: frozenset[str], weights: dict[str, float]) -> float:
    return math.sqrt(_weight(parts, weights))


def _weight(parts: frozenset[str], weights: dict[str, float]) -> float:
    """Summed with `fsum`, exactly rounded whatever the order: a set's order changes with
    the process's hash seed, and a plain sum's last bit with it, which would decide a
    tie between two case studies one way on one run and the other way on the next."""
    return math.fsum(weights[p] ** 2 for p in parts)


def _named_pairs(profiles: Sequence[Profile]) -> set[frozenset[str]]:
    """Naming links both ways: the pairs in which either names the other."""
    return {frozenset((p.id, name)) for p in profiles for name in p.named}
