"""Structure-aware mutations of valid blueprints, for the fuzz test.

A line mutator rarely gets past the YAML parser; these mutations keep the
document well formed and change what the validator and the renderer see:
a value of the wrong type, nesting far past any real design, lists of
thousands, control characters in keys and values, paths that name special
files, group chains and rings, focus lists that repeat. Each mutant comes
from a seed alone, so a failure is reproducible from its seed.
"""

from __future__ import annotations

import copy
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from archgen.diagnostics import Collector
from archgen.format import STEP_NAMES
from archgen.parse.yamltree import Mapping, Node, Scalar, parse_tree

KINDS = (
    "client",
    "api_gateway",
    "event_stream",
    "feature_store",
    "ranker",
    "cache",
    "monitoring",
    "llm",
)
CONTROL = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\u0085",
    "\u2028",
    "\ufeff",
    "\r",
]
# Placeholders swapped for raw YAML text after dumping: what yaml.dump cannot
# write itself (nesting past its recursion) or would write tamely (aliases).
RAW = "__RAW_{}__"


@dataclass(frozen=True)
class Mutant:
    seed: int
    operations: tuple[str, ...]
    text: str


def plain_data(path: Path) -> Any:
    """The blueprint at `path` as plain dicts, lists and strings, as archgen's own YAML reader sees it."""
    tree = parse_tree(path.read_text(encoding="utf-8"), path, Collector())
    assert tree is not None, f"{path} does not parse"
    return plain(tree)


def plain(node: Node) -> Any:
    if isinstance(node, Scalar):
        return typed(node.value) if node.plain else node.value
    if isinstance(node, Mapping):
        return {key: plain(value) for key, (_, value) in node.entries.items()}
    return [plain(item) for item in node.items]


def typed(text: str) -> Any:
    """What YAML makes of an unquoted scalar (`1`, `true`, `null`), so that it dumps unquoted again."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return text if isinstance(value, dict | list) else value


def odd_paths(root: Path) -> list[str]:
    """Paths a hostile blueprint may name, made real under `root` where they need to be."""
    (root / "folder").mkdir(exist_ok=True)
    loop = root / "loop.svg"
    if not loop.is_symlink():
        loop.symlink_to(loop.name)
    fifo = root / "fifo.yaml"
    if not fifo.exists():
        os.mkfifo(fifo)
    return [
        "bad\x00name.svg",
        "/dev/zero",
        "/dev/null",
        "/",
        "folder",
        "loop.svg",
        "fifo.yaml",
        "x" * 300 + ".svg",
        "../" * 40 + "etc/passwd",
        "missing/nowhere.yaml",
        "folder/" * 200 + "a.png",
        "",
    ]


class Mutator:
    """Applies one to three random operations to a parsed blueprint."""

    def __init__(self, base: dict[str, Any], paths: list[str]) -> None:
        self.base = base
        self.paths = paths

    def mutant(self, seed: int) -> Mutant:
        rng = random.Random(seed)
        doc = copy.deepcopy(self.base)
        raw: dict[str, str] = {}
        names = []
        for _ in range(rng.randint(1, 3)):
            name, operation = rng.choice(list(OPERATIONS.items()))
            operation(self, rng, doc, raw)
            names.append(name)
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=10_000)
        for key, value in raw.items():
            text = text.replace(RAW.format(key), value)
        return Mutant(seed, tuple(names), text)

    def swap_type(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        parent, key = random_slot(rng, doc)
        parent[key] = rng.choice(
            [
                None,
                True,
                0,
                -1,
                2**70,
                1.5e308,
                "",
                "text",
                [],
                {},
                [None],
                {"x": None},
                ["a", ["b"]],
            ]
        )

    def nest_deep(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        parent, key = random_slot(rng, doc)
        depth = rng.choice([60, 600, 5_000])
        opening, closing = rng.choice([("[", "]"), ("{a: ", "}")])
        marker = str(len(raw))
        raw[marker] = opening * depth + "x" + closing * depth
        parent[key] = RAW.format(marker)

    def grow_list(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        lists = [(p, k) for p, k in slots(doc) if isinstance(p[k], list) and p[k]]
        if lists:
            parent, key = rng.choice(lists)
            parent[key] = parent[key] * rng.choice([50, 500, 5_000])

    def many_components(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        count = rng.choice([100, 300, 3_000])
        groups = [f"g{index}" for index in range(rng.choice([1, 30, 300]))]
        doc["groups"] = {name: name.upper() for name in groups}
        doc["components"] = {
            f"c{index}": {"kind": rng.choice(KINDS), "group": rng.choice(groups)}
            for index in range(count)
        }
        doc["flows"] = [f"c{rng.randrange(count)} -> c{rng.randrange(count)}" for _ in range(count)]
        for step in STEP_NAMES:
            if isinstance(doc.get(step), dict):
                doc[step].pop("focus", None)

    def control_character(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        strings = [(p, k) for p, k in slots(doc) if isinstance(p[k], str)]
        if strings:
            parent, key = rng.choice(strings)
            value = parent[key]
            cut = rng.randrange(len(value) + 1)
            parent[key] = value[:cut] + rng.choice(CONTROL) + value[cut:]
        if isinstance(doc.get("components"), dict) and doc["components"]:
            components = doc["components"]
            name = rng.choice(list(components))
            components[name + rng.choice(CONTROL)] = components.pop(name)

    def odd_path(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        path = rng.choice(self.paths)
        components = doc.get("components")
        if rng.random() < 0.5 or not isinstance(components, dict) or not components:
            doc["extends"] = [path] if rng.random() < 0.5 else path
            return
        name = rng.choice(list(components))
        entry = (
            components[name] if isinstance(components[name], dict) else {"kind": components[name]}
        )
        components[name] = {**entry, "icon": path}

    def group_chain(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        depth = rng.choice([30, 200, 1_200])
        doc["groups"] = {
            f"g{index}": {"label": f"G{index}", "parent": f"g{index - 1}"}
            for index in range(1, depth)
        }
        doc["groups"]["g0"] = "G0"
        doc.setdefault("components", {})["deepest"] = {"kind": "ranker", "group": f"g{depth - 1}"}

    def group_ring(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        count = rng.choice([50, 500, 5_000])
        doc["groups"] = {f"g{index}": f"G{index}" for index in range(count)}
        doc["components"] = {
            f"c{index}": {"kind": "ranker", "group": f"g{index}"} for index in range(count)
        }
        doc["flows"] = [f"g{index} -> g{(index + 1) % count}" for index in range(count)]
        for step in STEP_NAMES:
            if isinstance(doc.get(step), dict):
                doc[step].pop("focus", None)

    def repeat_focus(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        names = list(doc.get("groups") or {}) + list(doc.get("components") or {})
        if names and isinstance(doc.get(STEP_NAMES[0]), dict):
            doc[rng.choice(STEP_NAMES)] = {
                "focus": [rng.choice(names)] * rng.choice([10, 5_000, 50_000])
            }

    def long_text(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        strings = [(p, k) for p, k in slots(doc) if isinstance(p[k], str)]
        if strings:
            parent, key = rng.choice(strings)
            parent[key] = rng.choice(
                ["W", "word ", "`", "#", "[x](javascript:alert(1)) "]
            ) * rng.choice([1_000, 100_000, 2_000_000])

    def alias_bomb(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        levels = rng.choice([5, 9, 12])
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in range(1, levels):
            previous = f"*a{level - 1}"
            lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
        marker = str(len(raw))
        raw[marker] = "{" + ", ".join(lines) + "}"
        doc["requirements" if isinstance(doc.get("requirements"), dict) else "summary"] = (
            RAW.format(marker)
        )

    def drop_key(self, rng: random.Random, doc: Any, raw: dict[str, str]) -> None:
        parent, key = random_slot(rng, doc)
        if isinstance(parent, dict):
            del parent[key]
        else:
            parent.pop(key)


OPERATIONS: dict[str, Callable[[Mutator, random.Random, Any, dict[str, str]], None]] = {
    name: function
    for name, function in vars(Mutator).items()
    if callable(function) and not name.startswith("_") and name != "mutant"
}


def slots(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) pair below `node`, walked without recursion."""
    found: list[tuple[Any, Any]] = []
    pending = [node]
    while pending:
        container = pending.pop()
        keys = list(container) if isinstance(container, dict) else range(len(container))
        for key in keys:
            found.append((container, key))
            if isinstance(container[key], dict | list) and container[key]:
                pending.append(container[key])
    return found


def random_slot(rng: random.Random, doc: dict[str, Any]) -> tuple[Any, Any]:
    return rng.choice(slots(doc) or [(doc, "title")])
