"""The review rules, read from rules.yaml: data, like the catalog.

A rule is an id, the framework step it belongs to, a severity, three
sentences (what is missing, why an interviewer asks about it, what to add),
one check and the conditions under which it applies. A check is a mapping
with a `type` from the registry in `archgen.review.checks` and that type's
parameters; adding a rule of an existing type is one entry in the file.

The file also names sets of kinds (`$serving`) and concepts (lists of
phrases) that several rules share, so a synonym added once serves every rule
that reads the concept. `archgen.review.soundness` checks the file; the test
suite runs it, so a bad entry is found before a release.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, cast

from archgen.review.severity import SEVERITIES
from archgen.review.text import compile_concept

RULES_FILE = Path(__file__).with_name("rules.yaml")
KIND_SET = "$"


@dataclass(frozen=True)
class Check:
    """One check of a registered type, with its parameters as the file gives them."""

    type: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Rule:
    id: str
    step: str
    severity: str
    missing: str
    why: str
    add: str
    check: Check
    # Every condition must hold for the rule to apply (each is a check that passes).
    when: tuple[Check, ...] = ()
    # Where a finding points when its check names no place: paths for Blueprint.mark.
    at: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    kind_sets: Mapping[str, tuple[str, ...]]
    concepts: Mapping[str, tuple[str, ...]]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)

    def kinds(self, names: str | list[str]) -> frozenset[str]:
        """Kind names, with each `$set` replaced by the kinds it holds."""
        found: set[str] = set()
        for name in [names] if isinstance(names, str) else names:
            if name.startswith(KIND_SET):
                found.update(self.kind_sets.get(name[1:], ()))
            else:
                found.add(name)
        return frozenset(found)

    @cached_property
    def patterns(self) -> dict[str, re.Pattern[str]]:
        """Each concept compiled once: a gallery reviews every blueprint with them."""
        return {name: compile_concept(phrases) for name, phrases in self.concepts.items()}


@cache
def load_rules(path: Path = RULES_FILE) -> RuleSet:
    """The rules in `path` (the bundled file by default), read once per process."""
    import yaml  # here: a gallery with nothing to redraw never reviews anything

    data = yaml.load(path.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return rule_set(data)


def rule_set(data: Mapping[str, Any]) -> RuleSet:
    """A RuleSet from the file's data; `soundness.rule_problems` says whether it is sound."""
    return RuleSet(
        rules=tuple(_rule(entry) for entry in data.get("rules", [])),
        kind_sets={name: tuple(kinds) for name, kinds in data.get("kind_sets", {}).items()},
        concepts={name: tuple(phrases) for name, phrases in data.get("concepts", {}).items()},
    )


def _rule(entry: Mapping[str, Any]) -> Rule:
    return Rule(
        id=str(entry.get("id", "")),
        step=str(entry.get("step", "")),
        severity=str(entry.get("severity", "")),
        missing=_sentence(entry.get("missing")),
        why=_sentence(entry.get("why")),
        add=_sentence(entry.get("add")),
        check=as_check(entry.get("check")),
        when=tuple(as_check(c) for c in entry.get("when", [])),
        at=tuple(entry.get("at", [])),
    )


def as_check(entry: object) -> Check:
    """A check from its mapping; anything else becomes a check of no type, which
    `soundness` reports."""
    if not isinstance(entry, Mapping):
        return Check("", {})
    params = {k: v for k, v in cast("Mapping[str, Any]", entry).items() if k != "type"}
    return Check(str(entry.get("type", "")), params)


def _sentence(text: object) -> str:
    return " ".join(str(text or "").split())


def at_least(severity: str, threshold: str) -> bool:
    """Whether `severity` is `threshold` or above it."""
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)
