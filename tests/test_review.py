"""The design review: every rule fires where a design lacks what it asks for, and only there.

Each rule has a pair of blueprints below, one that triggers it and one that
does not, built from the model (no YAML, so format 1.1 keys such as
`estimates` and answered questions can be given before the parser reads them).
The rules file itself and the bundled gallery are checked in test_review_rules.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from archgen.catalog import load_catalog
from archgen.diagnostics import Mark
from archgen.model import Blueprint, FieldValue, Flow, Reference, Step
from archgen.review import review
from archgen.review.engine import UNKNOWN_IGNORE
from archgen.review.rules import load_rules
from tests.conftest import component, make_steps

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"
KINDS = {
    "users": "client",
    "api": "api_gateway",
    "ranker": "ranker",
    "cache": "cache",
    "events": "event_stream",
    "features": "feature_store",
    "dataset": "dataset_builder",
    "trainer": "training_pipeline",
    "evaluator": "offline_evaluation",
    "registry": "model_registry",
    "log": "prediction_log",
    "monitor": "monitoring",
    "alerts": "alerting",
}
FLOWS = (
    "users -> api -> ranker -> api",
    "api <-> cache",
    "features -> ranker",
    "users -> events -> features -> dataset -> trainer -> evaluator -> registry -> ranker",
    "api -> log -> monitor -> alerts",
    "log -> dataset",
)
FIELDS: dict[str, dict[str, FieldValue]] = {
    "requirements": {
        "objective": "More watch time.",
        "scale": (("Daily users", "10M"), ("Videos", "50M")),
        "estimates": (("Peak QPS", "10M x 20 / 86,400 s x 3 = 7k"),),
        "questions": (("Is it real-time?", "Yes, within a second"),),
    },
    "framing": {"objective": "Predict a watch.", "category": "ranking"},
    "data": {"labels": "Watches; clicks weighted by inverse propensity of their position."},
    "model": {"baseline": "Most popular.", "loss": "Cross-entropy."},
    "evaluation": {"offline": ("nDCG",), "online": ("Watch time",)},
    "serving": {"mode": "online", "latency": "150 ms p99", "testing": ("Shadow, then A/B test",)},
    "monitoring": {"metrics": ("Latency", "CTR"), "retraining": "Daily."},
}
NOTES = {
    "model": "Cold start: new videos get exploration slots.",
    "data": "Viewer ids are hashed; raw events are deleted after 90 days.",
    "evaluation": "nDCG is compared per language and region.",
}


def strong() -> Blueprint:
    """A small design with everything every rule asks for: the review finds nothing."""
    catalog = load_catalog()
    components = {
        ident: component(ident, kind, step=catalog.kinds[kind].step)
        for ident, kind in KINDS.items()
    }
    steps = tuple(
        Step(s.name, s.number, tuple(FIELDS[s.name].items()), NOTES.get(s.name, ""))
        for s in make_steps({})
    )
    return Blueprint(
        id="strong",
        title="Video feed",
        tags=("recommendation",),
        source=Path("strong.yaml"),
        components=components,
        steps=steps,
        flows=tuple(f for text in FLOWS for f in parse_flows(text)),
        references=(Reference("https://example.com/paper", "A paper"),),
    )


def parse_flows(text: str) -> list[Flow]:
    """`a -> b <-> c`: the flows of a chain, as the spec writes them."""
    parts = text.split()
    return [
        Flow(parts[i], parts[i + 2], two_way=parts[i + 1] == "<->")
        for i in range(0, len(parts) - 2, 2)
    ]


def field(bp: Blueprint, path: str, value: FieldValue | None) -> Blueprint:
    """`bp` with one step field (or the step's notes) set, or removed when `value` is None."""
    name, _, key = path.partition(".")

    def edit(step: Step) -> Step:
        if step.name != name:
            return step
        if key == "notes":
            return replace(step, notes=str(value or ""))
        kept = tuple((k, v) for k, v in step.fields if k != key)
        return replace(step, fields=kept + (((key, value),) if value is not None else ()))

    return replace(bp, steps=tuple(edit(s) for s in bp.steps))


def flows(bp: Blueprint, drop: tuple[str, ...] = (), add: tuple[str, ...] = ()) -> Blueprint:
    """`bp` with the flows `a -> b` in `drop` taken out and the chains in `add` drawn."""
    gone = {(f.source, f.target) for text in drop for f in parse_flows(text)}
    kept = tuple(f for f in bp.flows if (f.source, f.target) not in gone)
    return replace(bp, flows=kept + tuple(f for text in add for f in parse_flows(text)))


def components(bp: Blueprint, drop: tuple[str, ...] = (), **add: str) -> Blueprint:
    """`bp` without the components in `drop` (and their flows), with `add` (id=kind)."""
    kept = {i: c for i, c in bp.components.items() if i not in drop}
    kept |= {i: component(i, kind, step=load_catalog().kinds[kind].step) for i, kind in add.items()}
    left = tuple(f for f in bp.flows if f.source in kept and f.target in kept)
    return replace(bp, components=kept, flows=left)


def rare_classifier(imbalance: str) -> Blueprint:
    bp = field(strong(), "framing.category", "binary classification")
    return field(bp, "data.notes", f"Fraud is rare. {imbalance}")


def with_llm(bp: Blueprint) -> Blueprint:
    return flows(components(bp, llm="llm"), add=("api -> llm -> api",))


# rule id -> (a blueprint that triggers it, one that does not)
CASES: dict[str, tuple[Callable[[], Blueprint], Callable[[], Blueprint]]] = {
    "serving-unmonitored": (lambda: flows(strong(), drop=("api -> log",)), strong),
    "no-feedback-loop": (
        lambda: flows(strong(), drop=("users -> events", "log -> dataset")),
        strong,
    ),
    "training-serving-skew": (
        lambda: flows(strong(), drop=("features -> dataset",)),
        lambda: field(
            flows(strong(), drop=("features -> dataset",)),
            "data.notes",
            "Training reads the features logged at serving time.",
        ),
    ),
    "no-model-registry": (
        lambda: flows(strong(), drop=("registry -> ranker",), add=("evaluator -> ranker",)),
        strong,
    ),
    "no-evaluation-gate": (
        lambda: flows(
            strong(),
            drop=("trainer -> evaluator", "evaluator -> registry"),
            add=("trainer -> registry",),
        ),
        strong,
    ),
    "no-serving-fallback": (
        lambda: components(strong(), drop=("cache",)),
        lambda: field(
            components(strong(), drop=("cache",)),
            "serving.notes",
            "On a timeout it falls back to popular videos.",
        ),
    ),
    "unreached-component": (lambda: flows(strong(), drop=("users -> events",)), strong),
    "unread-component": (lambda: flows(strong(), drop=("dataset -> trainer",)), strong),
    "no-business-objective": (lambda: field(strong(), "requirements.objective", None), strong),
    "no-scale": (lambda: field(strong(), "requirements.scale", (("Users", "many"),)), strong),
    "no-estimates": (lambda: field(strong(), "requirements.estimates", None), strong),
    "unanswered-questions": (
        lambda: field(strong(), "requirements.questions", (("Real-time?", "Yes"), "Budget?")),
        strong,
    ),
    "no-ml-objective": (lambda: field(strong(), "framing.objective", None), strong),
    "no-ml-category": (lambda: field(strong(), "framing.category", None), strong),
    "no-labels": (lambda: field(strong(), "data.labels", None), strong),
    "no-baseline": (lambda: field(strong(), "model.baseline", None), strong),
    "no-loss": (lambda: field(strong(), "model.loss", None), strong),
    "no-metrics": (
        lambda: field(field(strong(), "evaluation.offline", None), "evaluation.online", None),
        strong,
    ),
    "one-sided-metrics": (lambda: field(strong(), "evaluation.online", None), strong),
    "no-latency-budget": (
        lambda: field(strong(), "serving.latency", "Fast."),
        lambda: field(field(strong(), "serving.latency", None), "serving.mode", "nightly batch"),
    ),
    "no-online-test": (lambda: field(strong(), "serving.testing", None), strong),
    "no-retraining-cadence": (
        lambda: field(strong(), "monitoring.retraining", "When it seems stale."),
        strong,
    ),
    "no-references": (lambda: replace(strong(), references=()), strong),
    "position-bias": (lambda: field(strong(), "data.labels", "Watches."), strong),
    "class-imbalance": (
        lambda: rare_classifier("Labels come from chargebacks."),
        lambda: rare_classifier("Training uses class weights."),
    ),
    "delayed-labels": (
        lambda: field(
            strong(), "data.labels", "Positive when a chargeback follows; clicks by propensity."
        ),
        lambda: field(
            strong(),
            "data.labels",
            "Chargebacks, mature after a 90-day window; clicks by propensity.",
        ),
    ),
    "llm-guardrails": (
        lambda: with_llm(strong()),
        lambda: flows(
            components(with_llm(strong()), guard="guardrails"), add=("llm -> guard -> api",)
        ),
    ),
    "llm-groundedness": (
        lambda: with_llm(strong()),
        lambda: field(with_llm(strong()), "evaluation.offline", ("Faithfulness to the passages",)),
    ),
    "cold-start": (lambda: field(strong(), "model.notes", ""), strong),
    "fairness": (lambda: field(strong(), "evaluation.notes", ""), strong),
    "privacy": (lambda: field(strong(), "data.notes", ""), strong),
}


def rules_found(bp: Blueprint) -> set[str]:
    return {f.rule for f in review(bp).findings}


def test_the_strong_design_gives_the_review_nothing_to_add() -> None:
    assert review(strong()).findings == ()


def test_every_rule_has_a_blueprint_that_triggers_it_and_one_that_does_not() -> None:
    assert set(CASES) == set(load_rules().ids)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_each_rule_fires_where_it_should_and_only_there(rule_id: str) -> None:
    triggers, passes = CASES[rule_id]
    assert rule_id in rules_found(triggers())
    assert rule_id not in rules_found(passes())


def test_there_are_rules_of_every_family_for_every_step() -> None:
    rules = load_rules()
    assert len(rules.rules) >= 20
    assert {r.step for r in rules.rules} == {s.name for s in make_steps({})}
    assert {r.severity for r in rules.rules} == {"info", "warning", "error"}
    assert {r.check.type for r in rules.rules} >= {"path", "orphans", "mentions", "field_pair"}


def test_a_blueprint_silences_a_rule_on_purpose_and_the_review_says_why() -> None:
    bp = replace(
        field(strong(), "model.baseline", None), review_ignore={"no-baseline": "A fixed rule set."}
    )
    result = review(bp)
    assert result.findings == ()
    assert result.ignored == (("no-baseline", "A fixed rule set."),)


def test_ignoring_an_unknown_rule_is_a_warning_that_suggests_the_right_id() -> None:
    result = review(replace(strong(), review_ignore={"no-basline": ""}))
    (finding,) = result.findings
    assert (finding.rule, finding.severity, finding.step) == (UNKNOWN_IGNORE, "warning", None)
    assert "'no-basline'" in finding.message and "'no-baseline'" in finding.message
    assert result.ignored == ()


def test_each_finding_points_at_the_most_relevant_place_written() -> None:
    file = Path("strong.yaml")
    marks = {
        "": Mark(file, 1, 1),
        "model": Mark(file, 40, 1),
        "requirements.scale": Mark(file, 10, 3),
        "components.events": Mark(file, 90, 3),
    }
    bp = replace(field(strong(), "model.loss", None), marks=marks)
    bp = field(bp, "requirements.scale", (("Users", "many"),))
    bp = flows(bp, drop=("users -> events",))
    where = {f.rule: (f.mark.line, f.mark.col, f.step) for f in review(bp).findings}
    assert where["no-loss"] == (40, 1, "model")  # no loss written: the step
    assert where["no-scale"] == (10, 3, "requirements")  # the field itself
    # A component's finding concerns the component's own step.
    assert where["unreached-component"] == (90, 3, "data")


def test_a_review_counts_and_groups_its_findings_for_pages_and_badges() -> None:
    bp = field(field(strong(), "evaluation.offline", None), "evaluation.online", None)
    result = review(replace(bp, references=()))
    assert result.summary() == "1 error, 1 info"
    assert result.worst == "error"
    assert [(step, [f.rule for f in found]) for step, found in result.by_step()] == [
        ("requirements", ["no-references"]),
        ("evaluation", ["no-metrics"]),
    ]
    assert result.fails("error") and result.fails("warning")
    assert not review(strong()).fails("info")
