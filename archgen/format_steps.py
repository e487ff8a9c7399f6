"""The seven framework steps of the blueprint format: each one's key, heading and fields.

Part of `archgen.format`, which re-exports every name here: a new step field is
one `Field` below, and the schema offers it, the validator accepts it and the
narrative labels it. Kept apart only so that neither file grows past reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# `text`: Markdown text, or a list of it. `table`: a mapping of label to text or number.
# `pairs`: a list whose items are text, or a one-key mapping of text to text (a
# question and the answer assumed, an option and why). `table_or_text`: a table,
# or text or a list of it.
Shape = Literal["text", "table", "pairs", "table_or_text"]


@dataclass(frozen=True)
class Field:
    """A key of a framework step: how the narrative titles it and how the editor explains it."""

    name: str
    label: str
    help: str
    shape: Shape = "text"


@dataclass(frozen=True)
class StepFormat:
    """A framework step: its key in a blueprint, its heading, and its fields in reading order."""

    name: str
    title: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


# The study notes every step takes after its own fields (format 1.1).
STUDY_FIELDS: tuple[Field, ...] = (
    Field(
        "tradeoffs",
        "Tradeoffs",
        "Options weighed at this step: text, or `- Option: why it was or was not chosen`.",
        shape="pairs",
    ),
    Field(
        "followups",
        "Follow-up questions",
        "Questions an interviewer may ask next: text, or `- The question?: A strong answer`.",
        shape="pairs",
    ),
)


def _step(name: str, title: str, *fields: Field) -> StepFormat:
    """A step's own fields, then the study notes every step shares."""
    return StepFormat(name, title, (*fields, *STUDY_FIELDS))


STEPS: tuple[StepFormat, ...] = (
    _step(
        "requirements",
        "Requirements",
        Field("objective", "Business objective", "The business objective the system serves."),
        Field("functional", "Functional requirements", "What the system must do for its users."),
        Field(
            "non_functional",
            "Non-functional requirements",
            "Latency, availability, freshness, cost and other qualities.",
        ),
        Field(
            "scale",
            "Scale",
            "Label to figure, e.g. `{Daily active users: 2B, Peak QPS: 100k}`.",
            shape="table",
        ),
        Field(
            "constraints",
            "Constraints",
            "Limits the design must respect: budget, privacy, hardware, deadlines.",
        ),
        Field(
            "questions",
            "Clarifying questions",
            "Clarifying questions to ask before designing: text, or "
            "`- Is it real-time?: Yes, within a second` with the answer assumed.",
            shape="pairs",
        ),
        Field(
            "estimates",
            "Estimates",
            "Back-of-envelope sizing: label to the arithmetic, e.g. "
            "`{Peak QPS: 2B DAU * 10 loads / 86,400 s * 3 = 700k}`, or a list of text.",
            shape="table_or_text",
        ),
    ),
    _step(
        "framing",
        "Framing the problem",
        Field(
            "objective", "ML objective", "The ML objective that stands for the business objective."
        ),
        Field("input", "Input", "What the model receives."),
        Field("output", "Output", "What the model returns."),
        Field(
            "category",
            "ML category",
            "The kind of ML task: classification, ranking, regression, generation...",
        ),
    ),
    _step(
        "data",
        "Data",
        Field("sources", "Data sources", "Where the training and serving data come from."),
        Field("features", "Features", "The features the model uses."),
        Field("labels", "Labels", "Where the labels come from, and how noisy or delayed they are."),
    ),
    _step(
        "model",
        "Model",
        Field("baseline", "Baseline", "The simple model to beat first."),
        Field("candidates", "Candidate models", "Model families worth comparing."),
        Field("choice", "Chosen model", "The model chosen, and why."),
        Field("loss", "Loss function", "The loss the model is trained on."),
        Field(
            "training",
            "Training",
            "How training runs: data volume, schedule, distribution, tricks.",
        ),
    ),
    _step(
        "evaluation",
        "Evaluation",
        Field("offline", "Offline metrics", "Offline metrics, computed on held-out data."),
        Field("online", "Online metrics", "Online metrics, measured on live traffic."),
    ),
    _step(
        "serving",
        "Serving",
        Field(
            "mode",
            "Serving mode",
            "How predictions are served: online, batch, streaming, on device...",
        ),
        Field("latency", "Latency budget", "The latency budget and where it goes."),
        Field(
            "testing",
            "Online testing",
            "How a new model reaches production: shadow, canary, A/B test...",
        ),
    ),
    _step(
        "monitoring",
        "Monitoring and infrastructure",
        Field("metrics", "Metrics to watch", "What is watched in production."),
        Field("alerts", "Alerts", "What pages someone, and when."),
        Field("retraining", "Retraining", "When and how the model is retrained."),
    ),
)
STEP_NAMES: tuple[str, ...] = tuple(step.name for step in STEPS)
_STEPS_BY_NAME = {step.name: step for step in STEPS}


def step_format(name: str) -> StepFormat:
    return _STEPS_BY_NAME[name]
