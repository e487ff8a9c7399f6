"""The benchmark runs end to end on a tiny size and reports every target.

Only what it counts is checked, never how long anything took: timings on a
shared machine are noise, and the benchmark reports them as ratios anyway.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import PIL.Image
import pytest

from archgen.gallery.discovery import case_studies

REPO = Path(__file__).resolve().parent.parent
# The quick plan times the first two bundled case studies, in the gallery's order.
CHOSEN = [path.stem for path in case_studies(REPO / "blueprints")[:2]]
SECTION_TITLES = (
    "1. archgen's own work per blueprint",
    "2. One layout",
    "3. Gallery of 2 blueprints",
    "4. Scale: synthetic layered blueprints",
    "5. Layout quality of the overview diagrams",
    "6. Whole processes",
    "7. Weight of the gallery",
    "Targets",
)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    results = tmp_path_factory.mktemp("bench") / "results.json"
    completed = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--json", str(results)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout, json.loads(results.read_text(encoding="utf-8"))


def test_prints_a_table_per_target_and_the_verdicts(quick_run: tuple[str, dict]) -> None:
    stdout, results = quick_run
    for title in SECTION_TITLES:
        assert title in stdout
    for verdict in results["targets"]:
        assert verdict["target"] in stdout
    assert {v["met"] for v in results["targets"]} <= {True, False, None}
    assert "Traceback" not in stdout


def test_times_each_chosen_blueprint_by_stage(quick_run: tuple[str, dict]) -> None:
    _, results = quick_run
    timings = results["own_work"]
    assert [t["name"] for t in timings] == CHOSEN
    for timing in timings:
        assert timing["dot"] > 0 and timing["own"] > 0
        assert set(timing["stages"]) >= {"load", "dot source", "svg post", "narrative"}


def test_counts_no_dot_run_beyond_the_layout_for_formats_and_views(
    quick_run: tuple[str, dict],
) -> None:
    _, results = quick_run
    (count,) = results["one_layout"]
    assert count["formats"] == ["svg", "png", "dot"]
    assert count["views"] > 1
    assert count["dot_runs"] == count["layout_runs"] >= 1


def test_warm_gallery_renders_nothing(quick_run: tuple[str, dict]) -> None:
    _, results = quick_run
    gallery = results["gallery"]
    assert gallery["blueprints"] == 2
    assert gallery["serial"]["rendered"] == gallery["parallel"]["rendered"] == 2
    assert gallery["warm"]["rendered"] == 0


def test_synthetic_blueprints_have_the_requested_sizes(quick_run: tuple[str, dict]) -> None:
    _, results = quick_run
    scale = results["scale"]
    assert [t["components"] for t in scale["timings"]] == scale["sizes"] == [10, 20, 40]
    assert scale["flows"] == sorted(scale["flows"])
    assert scale["largest"]["ok"] is True
    assert scale["largest"]["components"] == 40


def test_measures_the_layout_of_each_chosen_diagram(quick_run: tuple[str, dict]) -> None:
    stdout, results = quick_run
    rows = results["layout_quality"]
    assert [r["name"] for r in rows] == [*CHOSEN, "synthetic-5", "synthetic-10"]
    for row in rows:
        assert row["quality"]["width_pt"] > 0 and row["aspect"] > 0
        assert row["node_label_px"] > 0 and row["score"] > 0
    assert "edge crossings, median over the gallery" in stdout


def test_measures_whole_processes_against_the_baseline(quick_run: tuple[str, dict]) -> None:
    _, results = quick_run
    processes = results["processes"]
    assert processes["blueprints"] == 2
    for command in (
        "python",
        "baseline",
        "render",
        "render_without_png",
        "cold_gallery",
        "warm_gallery",
        "cold_gallery_all_formats",
    ):
        assert processes[command] > 0
    assert processes["validate_imports"] == []
    targets = {v["target"]: v for v in results["targets"]}
    assert targets["rendering modules imported by archgen validate"]["met"] is True
    ratios = ("render_ratio", "render_without_png_ratio", "cold_ratio", "cold_all_formats_ratio")
    for name in (*ratios, "warm_ratio"):
        assert processes[name] > 0


def test_weighs_the_gallery_section_6_rendered(quick_run: tuple[str, dict]) -> None:
    _, results = quick_run
    weight = results["weight"]
    assert weight["files"] > 10 and weight["total_bytes"] > weight["largest_svg_bytes"] > 0
    assert weight["largest_svg"].endswith(".svg")
    targets = {v["target"] for v in results["targets"]}
    assert {"rendered gallery, MB", "largest SVG, KB"} <= targets


def test_a_png_may_pass_its_budget_only_at_the_text_floor(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from weight import over_budget

    from archgen.render.raster import MIN_PNG_ZOOM

    (tmp_path / "step-1-requirements.svg").write_text('<svg width="3000px" height="1000px">')
    step = tmp_path / "step-1-requirements.png"
    # 3 MP at 1x, 2.43 MP at the text floor, 1.92 MP (within the 2 MP budget) at 0.8x.
    for zoom, over in ((MIN_PNG_ZOOM, False), (1.0, True), (0.8, False)):
        width, height = round(3000 * zoom), round(1000 * zoom)
        PIL.Image.new("P", (width, height)).save(step)
        assert over_budget(step) is over, zoom


def layout_report(*flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / "layout_report.py"), "--quick", *flags],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=120,
    )


def test_layout_report_is_a_check_only_when_asked() -> None:
    """--check fails exactly when a target is NOT MET, whichever way today's layouts go."""
    report, check = layout_report(), layout_report("--check")
    assert report.returncode == 0, report.stderr
    assert "aspect within [0.6, 2]" in report.stdout
    assert check.returncode == (1 if "NOT MET" in check.stdout else 0), check.stderr
