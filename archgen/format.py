"""The blueprint format's facts, in one place: what each key is called, means and defaults to.

Validation, composition, flows, the JSON Schema, the narrative and the catalog
all read the format from here, so they cannot disagree and a new step field
is one `Field` below: the schema offers it, the validator accepts it and the
narrative labels it. How each stage treats a key (its YAML shape, its merge
rule, its place on a page) stays with that stage.

Nothing here imports YAML: the model and the command line read these facts in
a gallery run that never parses a blueprint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from archgen.parse.yamltree import Node

VERSION = 1

# `text`: Markdown text, or a list of it. `table`: a mapping of label to text or number.
Shape = Literal["text", "table"]


@dataclass(frozen=True)
class Key:
    """A key a blueprint may write, with the help an editor shows for it."""

    name: str
    help: str
    # False for the keys a file never passes on to the files that extend it.
    inherited: bool = True


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


def _step(name: str, title: str, *fields: Field) -> StepFormat:
    return StepFormat(name, title, fields)


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
        Field("questions", "Clarifying questions", "Clarifying questions to ask before designing."),
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


# The keys every step takes besides its fields.
STEP_EXTRA_KEYS: tuple[Key, ...] = (
    Key("notes", "Free Markdown text for this step."),
    Key(
        "focus",
        "Component or group ids this step's diagram highlights; [] for no diagram. "
        "Defaults to the components whose step is this one.",
    ),
)

# Icon sets. A cloud flavor draws a kind as that cloud's service where the catalog names one.
CLOUD_FLAVORS: tuple[str, ...] = ("aws", "gcp", "azure")
FLAVORS: tuple[str, ...] = ("generic", "onprem", *CLOUD_FLAVORS)
DEFAULT_FLAVOR = "generic"
# `auto` lets the layout stage choose the direction that fits a page best.
DIRECTIONS: tuple[str, ...] = ("auto", "LR", "TB", "RL", "BT")
DEFAULT_DIRECTION = "auto"

# Component and group ids; a blueprint's own id is a slug, for it names a folder.
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_ID = 64
ID_RULE = f"ids are lower-case letters, digits and '_', start with a letter, at most {MAX_ID} long"
SLUG_RULE = f"an id is a slug: lower-case letters, digits and '-', at most {MAX_ID} long"


def is_id(text: str) -> bool:
    return ID_PATTERN.fullmatch(text) is not None and len(text) <= MAX_ID


def is_slug(text: str) -> bool:
    return SLUG_PATTERN.fullmatch(text) is not None and len(text) <= MAX_ID


def default_id(path: Path) -> str:
    """The id a blueprint gets from its file name when it names none ('' when nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:MAX_ID]


TOP_LEVEL_KEYS: tuple[Key, ...] = (
    Key("archgen", f"Format version of this blueprint: the integer {VERSION}."),
    Key(
        "id",
        f"Slug naming the output folder, at most {MAX_ID} characters; defaults to the file's "
        "stem, lower-cased, with other characters turned into `-`.",
        inherited=False,
    ),
    Key(
        "title",
        "Title of the system; required except in a fragment or a file that extends another.",
    ),
    Key("summary", "One paragraph describing the system."),
    Key("tags", "Words to find and group blueprints by."),
    Key("flavor", "Icon set; the command line may override it."),
    Key(
        "direction",
        "Direction the diagram flows in: auto (archgen picks the one that fits a page best), "
        "left to right, top to bottom, right to left or bottom to top.",
    ),
    Key(
        "extends",
        "Path, or list of paths, to blueprints or fragments merged in order before this file, "
        "relative to this file.",
        inherited=False,
    ),
    Key(
        "fragment",
        "`true` marks a part meant to be extended, never rendered on its own.",
        inherited=False,
    ),
    *(
        Key(step.name, f"Step: {step.title}. Each value is text or a list of text.")
        for step in STEPS
    ),
    Key("groups", "Group id to group: a label, or a mapping with `label` and `parent`."),
    Key("components", "Component id to component: a kind name, or a mapping with `kind` and more."),
    Key("flows", "Edges between components or groups: `a -> b: label`, chains, or full mappings."),
)

COMPONENT_KEYS: tuple[Key, ...] = (
    Key("kind", "A kind from the catalog (`archgen catalog` lists them)."),
    Key("label", "Text under the icon; defaults to the kind's label."),
    Key("tech", "A technology from the catalog; it sets the icon whatever the flavor."),
    Key("icon", "PNG or SVG file, relative to this blueprint, inside its root."),
    Key("group", "The group this component is drawn in."),
    Key("description", "One sentence for the narrative; defaults to the kind's."),
    Key("step", "The framework step it belongs to; defaults to the kind's."),
)
ICON_SUFFIXES: tuple[str, ...] = (".png", ".svg")

GROUP_KEYS: tuple[Key, ...] = (
    Key("label", "Text shown on the group's border."),
    Key("parent", "The group this one is nested in."),
)

# The one key a shorthand entry stands for: `x: client` is `x: {kind: client}`.
SHORTHAND_KEYS: dict[str, str] = {"components": "kind", "groups": "label"}

# A flow's full form; the string forms join ids with arrows.
FLOW_KEYS: tuple[Key, ...] = (
    Key("from", "Component or group the edge starts at."),
    Key("to", "Component or group the edge ends at."),
    Key("label", "Text on the edge."),
    Key("style", "How the edge is drawn."),
    Key("two_way", "Arrows at both ends."),
)
FLOW_STYLES: tuple[str, ...] = ("solid", "dashed", "dotted", "bold")
DEFAULT_FLOW_STYLE = "solid"
ARROW = re.compile(r"<?->")
TWO_WAY_ARROW = "<->"

# YAML 1.2's booleans: what `fragment` and `two_way` accept, and nowhere else is text read so.
_TRUE_WORDS = frozenset({"true", "True", "TRUE"})
_FALSE_WORDS = frozenset({"false", "False", "FALSE"})


def names(keys: Iterable[Key | Field]) -> tuple[str, ...]:
    return tuple(key.name for key in keys)


def boolean(node: Node | None) -> bool | None:
    """The value of an unquoted true or false; None for anything else (a quoted 'true' is text)."""
    from archgen.parse.yamltree import Scalar  # here: PyYAML stays unloaded until a file is read

    if isinstance(node, Scalar) and node.plain and node.value in _TRUE_WORDS | _FALSE_WORDS:
        return node.value in _TRUE_WORDS
    return None
