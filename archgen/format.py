"""The blueprint format's facts, in one place: what each key is called, means and defaults to.

Validation, composition, flows, the JSON Schema, the narrative and the catalog
all read the format from here, so they cannot disagree and a new step field
is one `Field` (in `archgen.format_steps`, whose names this module gives out
too): the schema offers it, the validator accepts it and the narrative labels
it. How each stage treats a key (its YAML shape, its merge rule, its place on
a page) stays with that stage.

Nothing here imports YAML: the model and the command line read these facts in
a gallery run that never parses a blueprint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from archgen.format_steps import STEP_NAMES as STEP_NAMES
from archgen.format_steps import STEPS as STEPS
from archgen.format_steps import STUDY_FIELDS as STUDY_FIELDS
from archgen.format_steps import Field as Field
from archgen.format_steps import Shape as Shape
from archgen.format_steps import StepFormat as StepFormat
from archgen.format_steps import step_format as step_format

if TYPE_CHECKING:
    from archgen.parse.yamltree import Node

VERSION = 1


@dataclass(frozen=True)
class Key:
    """A key a blueprint may write, with the help an editor shows for it."""

    name: str
    help: str
    # False for the keys a file never passes on to the files that extend it.
    inherited: bool = True


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


@dataclass(frozen=True)
class Choice:
    """One value of a key that takes a closed set of them, with the words pages show for it."""

    name: str
    title: str
    help: str


# The curriculum (format 1.1): the problem families the gallery's index groups case
# studies by, in the order it shows them, and the levels it orders each family by.
FAMILIES: tuple[Choice, ...] = (
    Choice(
        "recommendation-and-ranking",
        "Recommendation and ranking",
        "Choose and order items for one person: candidate generation, ranking, re-ranking, "
        "and the feedback loops they create.",
    ),
    Choice(
        "search-and-retrieval",
        "Search and retrieval",
        "Answer a query from a corpus: indexing, retrieval, ranking by relevance to the query.",
    ),
    Choice(
        "classification-and-trust",
        "Classification and trust",
        "Decide about one item or event, often rare, costly to miss and adversarial: "
        "fraud, abuse, harmful or private content.",
    ),
    Choice(
        "forecasting-and-regression",
        "Forecasting and regression",
        "Predict a quantity (a time, a price, a demand) that a decision is then made on.",
    ),
    Choice(
        "generative-and-llm",
        "Generative and LLM",
        "Produce text with large models: retrieval, prompting, serving them at scale, "
        "guardrails and evaluation without one right answer.",
    ),
    Choice(
        "data-quality",
        "Data quality",
        "Keep data correct and trusted: deduplication, anomalies, validation.",
    ),
)
LEVELS: tuple[Choice, ...] = (
    Choice("foundation", "Foundation", "The family's canonical design: start the family here."),
    Choice(
        "intermediate",
        "Intermediate",
        "The canonical design with a twist that changes it (several objectives, a cold "
        "start, a second modality, an adversary).",
    ),
    Choice(
        "advanced",
        "Advanced",
        "Several hard constraints at once (a market, delayed labels, strict latency "
        "with money at stake, constraints across records).",
    ),
)


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
    Key(
        "family",
        "The problem family the gallery's index files this case study under: "
        + ", ".join(f"`{family.name}`" for family in FAMILIES)
        + ".",
    ),
    Key(
        "level",
        "How hard the case study is within its family: "
        + ", ".join(f"`{level.name}`" for level in LEVELS)
        + "; the index lists each family in this order.",
    ),
    Key(
        "related",
        "Ids of other case studies of the gallery to compare this one with; in a gallery, "
        "their pages link to each other.",
    ),
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
    Key(
        "references",
        "Sources the design draws on: a URL, or a mapping with `title`, `url` and an optional "
        "`note`. Only http and https URLs.",
    ),
    Key(
        "review", "How the design review treats this blueprint: `ignore` lists rules it leaves out."
    ),
)

# A reference's full form; the short form is its URL alone.
REFERENCE_KEYS: tuple[Key, ...] = (
    Key("title", "What the source is called."),
    Key("url", "Where it is: an http or https URL."),
    Key("note", "Why it matters to this design."),
)
URL_SCHEMES: tuple[str, ...] = ("http", "https")
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Characters a URL cannot hold as they are (RFC 3986): they must be percent-encoded.
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f<>\"\\^`{|}]")


def url_problem(url: str) -> str:
    """What keeps `url` from being an http(s) link, or '' when nothing does: a
    reference is a link on a page, so no `javascript:` or `file:` may pass.

    >>> url_problem("https://example.com/a?b=c#d")
    ''
    >>> url_problem("javascript:alert(1)")
    "uses the scheme 'javascript:'; only http and https are allowed"
    """
    scheme = _URL_SCHEME.match(url)
    if scheme is None:
        return "is not a full address (it has no http:// or https://)"
    if scheme[1].lower() not in URL_SCHEMES:
        return f"uses the scheme '{scheme[1]}:'; only http and https are allowed"
    unsafe = _URL_UNSAFE.search(url)
    if unsafe:
        return f"holds {unsafe[0]!r}, which a URL cannot hold unencoded (percent-encode it)"
    if not urlsplit(url).netloc:
        return "has no host after the scheme"
    return ""


REVIEW_KEYS: tuple[Key, ...] = (
    Key(
        "ignore",
        "Review rule ids this blueprint deliberately leaves out; each may be "
        "`- rule-id: the reason`.",
    ),
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


def names(keys: Iterable[Key | Field | Choice]) -> tuple[str, ...]:
    return tuple(key.name for key in keys)


def boolean(node: Node | None) -> bool | None:
    """The value of an unquoted true or false; None for anything else (a quoted 'true' is text)."""
    from archgen.parse.yamltree import Scalar  # here: PyYAML stays unloaded until a file is read

    if isinstance(node, Scalar) and node.plain and node.value in _TRUE_WORDS | _FALSE_WORDS:
        return node.value in _TRUE_WORDS
    return None


@dataclass(frozen=True)
class Limit:
    """A bound on what archgen reads, far above any real design (the largest bundled
    blueprint has 26 components and 36 flows): reaching one means a runaway or hostile
    input, which is refused at once, by name, before it can cost minutes or gigabytes."""

    name: str
    value: int
    # What is counted and where, as it reads after the number: "components in a blueprint".
    counts: str
    hint: str = ""

    def __str__(self) -> str:
        return f"at most {self.value:,} {self.counts}"

    def exceeded(self, found: str) -> str:
        """The error for an input over this limit; `found` says what is there.

        >>> GROUPS.exceeded("501 groups")
        '501 groups, over the limit: at most 500 groups in a blueprint'
        """
        return f"{found}, over the limit: {self}"


FILE_BYTES = Limit(
    "file size",
    1024 * 1024,
    "bytes in a blueprint file",
    "split it into fragments joined with `extends`",
)
EXTENDS_FILES = Limit(
    "files read",
    50,
    "files read for one blueprint, itself and every file it extends (a file reached twice"
    " counts twice)",
    "extend fewer files, or extend a fragment once rather than through several files",
)
TOTAL_CHARS = Limit(
    "total size",
    4 * 1024 * 1024,
    "characters read for one blueprint, itself and every file it extends",
    "extend fewer or smaller files",
)
# Control characters (C0 but tab and newline, DEL, C1) print as nothing or move the
# cursor, and a NUL ends a C string: no text may hold one, in a page or a path.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
NAME_BYTES = Limit(
    "path name",
    255,
    "bytes in one name of a path (the file systems' own limit)",
)
YAML_VALUES = Limit("YAML values", 100_000, "YAML values (keys, texts, lists, mappings) in a file")
YAML_DEPTH = Limit("YAML nesting", 64, "levels of YAML nesting")
TEXT_CHARS = Limit(
    "text length",
    10_000,
    "characters in one text value",
    "say it in fewer words, and link to the long version under `references`",
)
LABEL_CHARS = Limit(
    "label length",
    200,
    "characters in a title or a label",
    "a label is a few words: say the rest in `description` or in a step's `notes`",
)
_SPLIT_HINT = "no one can read a diagram this large: split the design into several blueprints"
COMPONENTS = Limit("components", 2_000, "components in a blueprint", _SPLIT_HINT)
GROUPS = Limit("groups", 500, "groups in a blueprint", _SPLIT_HINT)
GROUP_DEPTH = Limit(
    "group nesting",
    20,
    "levels of groups nested in groups",
    "nest fewer levels: a group inside a group inside a group is already hard to read",
)
FLOWS = Limit("flows", 5_000, "flows in a blueprint (each edge of a chain counts)", _SPLIT_HINT)
FOCUS_ENTRIES = Limit(
    "focus entries",
    500,
    "entries in one step's `focus`",
    "name a group to focus on all its members at once",
)
ICON_BYTES = Limit(
    "icon size",
    2 * 1024 * 1024,
    "bytes in an icon file, which is copied into every diagram",
    "scale it down or simplify it",
)
ICON_PIXELS = Limit(
    "icon pixels",
    4096 * 4096,
    "pixels in a PNG icon, or in a picture an SVG icon embeds",
    "scale it down: it is drawn a few dozen pixels wide",
)
ICON_DEPTH = Limit("icon nesting", 64, "levels of elements nested in an SVG icon")
ICON_ELEMENTS = Limit(
    "icon elements",
    50_000,
    "elements an SVG icon draws, each <use> counted as the copy it draws",
    "simplify it",
)
HINTED_ERRORS = Limit(
    "suggestions",
    100,
    "errors of a blueprint that get a 'did you mean' suggestion; later ones get none",
)

# Every limit, in the order the format reference lists them.
LIMITS: tuple[Limit, ...] = (
    FILE_BYTES,
    EXTENDS_FILES,
    TOTAL_CHARS,
    NAME_BYTES,
    YAML_VALUES,
    YAML_DEPTH,
    TEXT_CHARS,
    LABEL_CHARS,
    COMPONENTS,
    GROUPS,
    GROUP_DEPTH,
    FLOWS,
    FOCUS_ENTRIES,
    ICON_BYTES,
    ICON_PIXELS,
    ICON_DEPTH,
    ICON_ELEMENTS,
    HINTED_ERRORS,
)
