"""The rules file's own rules, checked by the test suite rather than at review time.

Rules are data that anyone may extend: an unknown check type, step, kind,
concept or path, a missing parameter or a message that uses a value its check
does not provide is found before a release, and a review never pays for the
check. Each problem is one sentence naming the rule.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from typing import Any

from archgen.catalog import Catalog
from archgen.format import STEP_NAMES
from archgen.review.checks import CHECKS, ParamKind
from archgen.review.rules import KIND_SET, Check, Rule, RuleSet, as_check
from archgen.review.severity import SEVERITIES
from archgen.review.text import is_text_path

RULE_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
DIRECTIONS = ("in", "out")


def rule_problems(rules: RuleSet, catalog: Catalog) -> list[str]:
    """Every way the rules break the file's own rules, one sentence each."""
    problems = [*_set_problems(rules, catalog), *_unused(rules)]
    seen: set[str] = set()
    for rule in rules.rules:
        if rule.id in seen:
            problems.append(f"rule {rule.id}: the id is used twice")
        seen.add(rule.id)
        problems += [f"rule {rule.id or '?'}: {p}" for p in _rule_problems(rule, rules, catalog)]
    return problems


def _rule_problems(rule: Rule, rules: RuleSet, catalog: Catalog) -> Iterator[str]:
    if not RULE_ID.fullmatch(rule.id):
        yield "the id must be kebab-case (lower-case words joined by '-')"
    if rule.step not in STEP_NAMES:
        yield f"unknown step {rule.step!r} (one of {', '.join(STEP_NAMES)})"
    if rule.severity not in SEVERITIES:
        yield f"unknown severity {rule.severity!r} (one of {', '.join(SEVERITIES)})"
    yield from _text_problems(rule)
    yield from (
        f"at: {p!r} is not a path a rule can point at" for p in rule.at if not is_text_path(p)
    )
    yield from _check_problems(rule.check, rules, catalog, "check")
    for number, condition in enumerate(rule.when, 1):
        yield from _check_problems(condition, rules, catalog, f"when #{number}")


def _text_problems(rule: Rule) -> Iterator[str]:
    provided = set(provides(rule.check))
    for name in ("missing", "why", "add"):
        text: str = getattr(rule, name)
        if not text.endswith((".", "?")):
            yield f"{name} must be a sentence, ending with a period"
        try:
            used = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        except ValueError as error:
            yield f"{name}: {error}"
            continue
        yield from (
            f"{name} uses {{{u}}}, which its check does not provide" for u in used - provided
        )


def provides(check: Check) -> tuple[str, ...]:
    """The values a check's hits carry: `any_of` gives its first check's hits."""
    if check.type == "any_of" and check.params.get("checks"):
        return provides(as_check(check.params["checks"][0]))
    kind = CHECKS.get(check.type)
    return kind.provides if kind else ()


def _check_problems(check: Check, rules: RuleSet, catalog: Catalog, where: str) -> Iterator[str]:
    kind = CHECKS.get(check.type)
    if kind is None:
        yield f"{where}: unknown check type {check.type!r} (one of {', '.join(sorted(CHECKS))})"
        return
    for name in kind.required:
        if name not in check.params:
            yield f"{where}: {check.type} needs `{name}`"
    for name, value in check.params.items():
        param = kind.params.get(name)
        if param is None:
            yield f"{where}: {check.type} takes no `{name}`"
            continue
        for problem in _value_problems(param, value, rules, catalog):
            yield f"{where}: `{name}` {problem}"


def _value_problems(
    param: ParamKind, value: Any, rules: RuleSet, catalog: Catalog
) -> Iterator[str]:
    if param == "checks":
        if not isinstance(value, list) or not value:
            yield "must be a list of checks"
            return
        for number, entry in enumerate(value, 1):
            yield from _check_problems(as_check(entry), rules, catalog, f"check #{number}")
        return
    yield from _scalar_problems(param, value, rules, catalog)


def _scalar_problems(
    param: ParamKind, value: Any, rules: RuleSet, catalog: Catalog
) -> Iterator[str]:
    items = value if isinstance(value, list) else [value]
    if param == "kinds":
        yield from (f"names unknown kind {k!r}" for k in items if not _is_kind(k, rules, catalog))
    elif param in ("paths", "path"):
        if param == "path" and isinstance(value, list):
            yield "must be one path"
        yield from (f"names unknown path {p!r}" for p in items if not is_text_path(str(p)))
    elif param == "concept" and value not in rules.concepts:
        yield f"names unknown concept {value!r}"
    elif param == "flag" and not isinstance(value, bool):
        yield "must be true or false"
    elif param == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        yield "must be a number"
    elif param == "direction" and value not in DIRECTIONS:
        yield f"must be one of {', '.join(DIRECTIONS)}"


def _is_kind(name: object, rules: RuleSet, catalog: Catalog) -> bool:
    if not isinstance(name, str):
        return False
    if name.startswith(KIND_SET):
        return name[1:] in rules.kind_sets
    return name in catalog.kinds


def _set_problems(rules: RuleSet, catalog: Catalog) -> Iterator[str]:
    for name, kinds in rules.kind_sets.items():
        yield from (f"kind set {name}: unknown kind {k!r}" for k in kinds if k not in catalog.kinds)
    for name, phrases in rules.concepts.items():
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            yield f"concept {name}: must be a list of phrases"


def _unused(rules: RuleSet) -> Iterator[str]:
    """A concept or kind set no rule reads is a synonym list someone edits for nothing."""
    checks = [c for r in rules.rules for c in _nested((r.check, *r.when))]
    concepts = {str(c.params.get("concept")) for c in checks}
    kinds = {
        name
        for c in checks
        for param, value in c.params.items()
        if CHECKS.get(c.type) and CHECKS[c.type].params.get(param) == "kinds"
        for name in (value if isinstance(value, list) else [value])
        if isinstance(name, str)
    }
    yield from (f"concept {n}: no rule uses it" for n in rules.concepts if n not in concepts)
    yield from (
        f"kind set {n}: no rule uses it" for n in rules.kind_sets if KIND_SET + n not in kinds
    )


def _nested(checks: Iterable[Check]) -> Iterator[Check]:
    """The checks and, inside each `any_of`, the checks it holds."""
    for check in checks:
        yield check
        if check.type == "any_of" and isinstance(check.params.get("checks"), list):
            yield from _nested(as_check(entry) for entry in check.params["checks"])
