"""Random valid blueprints, heavy on what Graphviz finds hard to lay out.

Group endpoints (a flow that ends at a group's border), nested groups,
self-loops, two-way edges and every direction, mixed at random from a seed,
so a failure is reproducible from its seed alone. Every blueprint follows
the format: flows never join a group and its own member, and every group
that a flow names has members.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import yaml

KINDS = (
    "client",
    "api_gateway",
    "event_stream",
    "batch_etl",
    "feature_store",
    "training_pipeline",
    "model_registry",
    "ranker",
    "cache",
    "monitoring",
    "vector_index",
    "llm",
)
DIRECTIONS = ("LR", "TB", "RL", "BT", None)
STYLES = ("solid", "dashed", "dotted", "bold")


@dataclass(frozen=True)
class Shape:
    """How big and how tangled a random blueprint may get."""

    components: tuple[int, int] = (3, 18)
    groups: tuple[int, int] = (1, 7)
    flows_per_component: float = 2.5
    group_endpoint_share: float = 0.6


# The fuzzer's large, messy design: 300 components in 30 groups nested at random,
# flows at random between them and the groups. Graphviz 2.43's `dot` cannot rank
# it as it is ("trouble in init_rank") and, with its defaults, positions it in minutes.
MESSY = Shape((300, 300), (30, 30))


def random_blueprint(seed: int, shape: Shape = Shape()) -> str:
    """The YAML text of one random valid blueprint."""
    rng = random.Random(seed)
    groups = random_groups(rng, rng.randint(*shape.groups))
    components = {
        f"c{i}": {"kind": rng.choice(KINDS), "group": rng.choice([None, *groups])}
        for i in range(rng.randint(*shape.components))
    }
    for spec in components.values():
        if spec["group"] is None:
            del spec["group"]
    doc: dict[str, object] = {"archgen": 1, "title": f"Random {seed}"}
    direction = rng.choice(DIRECTIONS)
    if direction:
        doc["direction"] = direction
    doc["groups"] = groups
    doc["components"] = components
    doc["flows"] = random_flows(rng, groups, components, shape)
    return yaml.safe_dump(doc, sort_keys=False)


def random_groups(rng: random.Random, count: int) -> dict[str, dict[str, str]]:
    """Groups nested at random: each may sit inside any earlier one."""
    groups: dict[str, dict[str, str]] = {}
    for i in range(count):
        spec = {"label": f"Group {i}"}
        if groups and rng.random() < 0.5:
            spec["parent"] = rng.choice(list(groups))
        groups[f"g{i}"] = spec
    return groups


def ancestry(group: str | None, groups: dict[str, dict[str, str]]) -> set[str]:
    chain: set[str] = set()
    while group is not None:
        chain.add(group)
        group = groups[group].get("parent")
    return chain


def random_flows(
    rng: random.Random,
    groups: dict[str, dict[str, str]],
    components: dict[str, dict[str, str]],
    shape: Shape,
) -> list[object]:
    inside = {c: ancestry(spec.get("group"), groups) for c, spec in components.items()}
    members = {g: {c for c, chain in inside.items() if g in chain} for g in groups}
    drawn = [g for g, ids in members.items() if ids]

    def covers(endpoint: str) -> set[str]:
        """The components an endpoint stands for, and the groups around it."""
        if endpoint in groups:
            return members[endpoint] | ancestry(endpoint, groups)
        return {endpoint} | inside[endpoint]

    def endpoint() -> str:
        if drawn and rng.random() < shape.group_endpoint_share:
            return rng.choice(drawn)
        return rng.choice(list(components))

    flows: list[object] = []
    for _ in range(int(len(components) * shape.flows_per_component)):
        source, target = endpoint(), endpoint()
        if source != target and (
            (source in groups and target in covers(source))
            or (target in groups and source in covers(target))
        ):
            continue
        flows.append(random_flow(rng, source, target))
    return flows


def random_flow(rng: random.Random, source: str, target: str) -> object:
    label = rng.choice(["", "events", "features and labels", "a rather long label that wraps"])
    style, two_way = rng.choice(STYLES), rng.random() < 0.2
    if style == "solid" and not two_way:
        return f"{source} -> {target}: {label}" if label else f"{source} -> {target}"
    flow: dict[str, object] = {"from": source, "to": target, "style": style}
    if label:
        flow["label"] = label
    if two_way:
        flow["two_way"] = True
    return flow
