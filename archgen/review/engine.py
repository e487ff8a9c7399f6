"""Running the rules over one blueprint: its findings, each at a place in the file.

`review` knows nothing of the terminal or of pages: a Finding prints as an
editor's `file:line:col: severity: [rule] message` line and turns into a
JSON-ready mapping; the command line, the narrative and the gallery each show
the Review their own way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archgen.diagnostics import Mark, did_you_mean
from archgen.format import STEP_NAMES
from archgen.model import Blueprint
from archgen.review.checks import Context, Hit
from archgen.review.rules import Rule, RuleSet, at_least, load_rules
from archgen.review.severity import SEVERITIES

# The finding a blueprint gets for ignoring a rule that does not exist: a typo in
# `review.ignore` would otherwise leave the rule it meant to silence in force, unseen.
UNKNOWN_IGNORE = "unknown-ignore"


@dataclass(frozen=True, order=True)
class Finding:
    mark: Mark
    rule: str
    severity: str
    # The framework step it concerns; None for the file as a whole.
    step: str | None
    message: str
    # The rule's text before the blueprint's own words went in, and those words: a
    # page escapes them (a label is plain text, the rule's text Markdown).
    template: str = field(default="", compare=False)
    values: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def formatted(self, escape: Callable[[str], str]) -> str:
        """The message with the blueprint's words passed through `escape`."""
        if not self.template:
            return self.message
        return self.template.format_map({k: escape(v) for k, v in self.values})

    def __str__(self) -> str:
        return f"{self.mark}: {self.severity}: [{self.rule}] {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.mark.file),
            "line": self.mark.line,
            "col": self.mark.col,
            "rule": self.rule,
            "severity": self.severity,
            "step": self.step,
            "message": self.message,
        }


@dataclass(frozen=True)
class Review:
    """A blueprint's findings in file order, and the rules it leaves out on purpose."""

    findings: tuple[Finding, ...]
    # (rule id, the reason the blueprint gives) for each known rule it ignores.
    ignored: tuple[tuple[str, str], ...] = ()

    def counts(self) -> dict[str, int]:
        """Findings by severity, most severe first; severities with none left out."""
        found = Counter(f.severity for f in self.findings)
        return {s: found[s] for s in reversed(SEVERITIES) if found[s]}

    def fails(self, threshold: str) -> bool:
        """Whether any finding is at `threshold` or above."""
        return any(at_least(f.severity, threshold) for f in self.findings)

    @property
    def worst(self) -> str | None:
        """The most severe finding's severity; None when there is nothing to add."""
        return next(iter(self.counts()), None)

    def summary(self) -> str:
        """The findings counted in words, as a badge says them: "2 warnings, 1 info".

        >>> Review(()).summary()
        'clean'
        """
        counts = self.counts()
        if not counts:
            return "clean"
        return ", ".join(
            f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items()
        )

    def by_step(self) -> tuple[tuple[str | None, tuple[Finding, ...]], ...]:
        """The findings grouped by step in framework order, the file's own last; in a
        step, the most severe first, for a reader to start with what matters most."""
        ranked = sorted(self.findings, key=lambda f: -SEVERITIES.index(f.severity))
        return tuple(
            (step, found)
            for step in (*STEP_NAMES, None)
            if (found := tuple(f for f in ranked if f.step == step))
        )


def review(blueprint: Blueprint, rules: RuleSet | None = None) -> Review:
    """Every rule that applies to the blueprint and is not ignored, run over it."""
    rules = rules or load_rules()
    context = Context(blueprint, rules)
    findings = [
        finding
        for rule in rules.rules
        if rule.id not in blueprint.review_ignore and all(map(context.holds, rule.when))
        for finding in (_finding(blueprint, rule, hit) for hit in context.run(rule.check))
    ]
    findings += _unknown_ignores(blueprint, rules)
    ignored = tuple((r, why) for r, why in blueprint.review_ignore.items() if rules.rule(r))
    return Review(tuple(sorted(findings)), ignored)


def _finding(blueprint: Blueprint, rule: Rule, hit: Hit) -> Finding:
    step = hit.step or rule.step
    mark = blueprint.mark(*hit.where, *rule.at, step)
    template = " ".join((rule.missing, rule.why, rule.add))
    values = tuple(hit.values.items())
    return Finding(
        mark, rule.id, rule.severity, step, template.format_map(hit.values), template, values
    )


def _unknown_ignores(blueprint: Blueprint, rules: RuleSet) -> list[Finding]:
    mark = blueprint.mark("review.ignore", "review")
    return [
        Finding(
            mark,
            UNKNOWN_IGNORE,
            "warning",
            None,
            f"`review.ignore` names '{rule_id}', which is no review rule, so it silences "
            "nothing: a typo there leaves the rule it meant in force. "
            + (did_you_mean(rule_id, rules.ids).capitalize() or "Remove it."),
        )
        for rule_id in blueprint.review_ignore
        if rules.rule(rule_id) is None
    ]
