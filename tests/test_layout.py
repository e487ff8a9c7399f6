"""lay_out(): every valid blueprint gets a layout, the best of a few, always the same one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from random_blueprints import Shape, random_blueprint

import archgen
from archgen.catalog import load_catalog
from archgen.layout import search as layout
from archgen.layout.arrangement import Arrangement
from archgen.layout.dot import build_dot

# Tangled enough that Graphviz 2.43 fails on about one in fifteen with its
# defaults ("trouble in init_rank", "lost edge"): many groups, nested at
# random, a third of the flows ending at a group, self-loops and two-way edges.
TANGLED = Shape((15, 30), (4, 10), flows_per_component=1.5, group_endpoint_share=0.4)
# Seeds of TANGLED blueprints that plain `dot` cannot lay out.
FAILING_SEEDS = (23, 79)


def load_random(seed: int, shape: Shape, tmp_path: Path) -> archgen.model.Blueprint:
    path = tmp_path / f"random-{seed}.yaml"
    path.write_text(random_blueprint(seed, shape))
    return archgen.load(path)


@pytest.mark.parametrize("seed", FAILING_SEEDS)
def test_blueprints_that_defeat_plain_dot_still_get_a_layout(seed, tmp_path):
    blueprint = load_random(seed, TANGLED, tmp_path)
    plain = Arrangement(direction="LR" if blueprint.direction == "auto" else blueprint.direction)
    with pytest.raises(layout.GraphvizFailed):
        layout.run_dot(build_dot(blueprint, load_catalog(), plain))
    chosen = layout.lay_out(blueprint, load_catalog())
    assert chosen.svg.lstrip().startswith("<?xml")
    assert chosen.source == build_dot(blueprint, load_catalog(), chosen.arrangement)


@pytest.mark.parametrize("shape", [Shape(), Shape((2, 6), (1, 5), 2.0, 0.7), TANGLED])
def test_random_blueprints_full_of_group_endpoints_all_render(shape, tmp_path):
    """Group endpoints, nested groups, self-loops, two-way edges, every direction."""
    for seed in range(100, 112):
        blueprint = load_random(seed, shape, tmp_path)
        chosen = layout.lay_out(blueprint, load_catalog())
        drawn = chosen.svg.count('class="node"')
        assert drawn == len(blueprint.components), f"seed {seed}"
        assert chosen.svg.count('class="edge"') == len(blueprint.flows), f"seed {seed}"


def test_when_every_preferred_arrangement_fails_a_fallback_draws(study_blueprint, monkeypatch):
    real_run_dot = layout.run_dot
    tried: list[str] = []

    def fails_with_clipped_edges(source: str) -> str:
        tried.append(source)
        if "lhead" in source or "ltail" in source:
            raise layout.GraphvizFailed(1, "Error: lost users gateway edge")
        return real_run_dot(source)

    monkeypatch.setattr(layout, "run_dot", fails_with_clipped_edges)
    chosen = layout.lay_out(study_blueprint, load_catalog())
    assert not chosen.arrangement.compound and chosen.arrangement.newrank
    preferred = len(layout.arrangements(study_blueprint.direction))
    assert preferred < len(tried) <= preferred + len(layout.fallbacks(Arrangement()))


def test_when_even_the_fallbacks_fail_the_last_error_is_raised(study_blueprint, monkeypatch):
    def always_fails(source: str) -> str:
        raise layout.GraphvizFailed(1, "Error: trouble in init_rank")

    monkeypatch.setattr(layout, "run_dot", always_fails)
    with pytest.raises(layout.GraphvizFailed, match="init_rank"):
        layout.lay_out(study_blueprint, load_catalog())


def test_a_fixed_direction_is_kept_and_auto_may_choose(study_blueprint):
    for direction in ("LR", "RL", "TB", "BT"):
        chosen = layout.lay_out(replace(study_blueprint, direction=direction), load_catalog())
        assert chosen.arrangement.direction == direction
        assert chosen.arrangement.side == (direction in ("TB", "BT"))
    assert {a.direction for a in layout.arrangements("auto")} == {"TB", "LR"}


def test_the_first_arrangement_that_meets_every_target_is_kept(study_blueprint, monkeypatch):
    chosen = layout.lay_out(study_blueprint, load_catalog())
    candidates = layout.arrangements(study_blueprint.direction)
    if not chosen.quality.problems():
        earlier = candidates[: candidates.index(chosen.arrangement)]
        for arrangement in earlier:
            svg = layout.run_dot(build_dot(study_blueprint, load_catalog(), arrangement))
            assert layout.measure(svg).problems()
    else:
        for arrangement in candidates:
            svg = layout.run_dot(build_dot(study_blueprint, load_catalog(), arrangement))
            assert layout.measure(svg).score() >= chosen.quality.score()


def test_layout_is_deterministic(study_blueprint):
    first = layout.lay_out(study_blueprint, load_catalog())
    again = layout.lay_out(study_blueprint, load_catalog())
    assert (first.arrangement, first.source, first.svg) == (
        again.arrangement,
        again.source,
        again.svg,
    )


def test_a_large_blueprint_is_laid_out_once_and_not_measured(tmp_path, monkeypatch):
    """Past SEARCH_LIMIT components the search would cost the square of the flows."""
    size = layout.SEARCH_LIMIT + 1
    blueprint = load_random(7, Shape((size, size), (2, 4), 1.2, 0.1), tmp_path)
    runs: list[str] = []
    real_run_dot = layout.run_dot

    def counting(source: str) -> str:
        runs.append(source)
        return real_run_dot(source)

    def no_measure(svg: str) -> None:
        raise AssertionError("a large blueprint's layout was measured")

    monkeypatch.setattr(layout, "run_dot", counting)
    monkeypatch.setattr(layout, "measure", no_measure)
    chosen = layout.lay_out(blueprint, load_catalog())
    assert len(runs) == 1
    assert chosen.arrangement == replace(layout.arrangements(blueprint.direction)[0], bounded=True)
