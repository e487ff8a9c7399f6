"""The bundled case studies: complete, well-formed, and rendering cleanly.

The whole gallery is rendered once (SVG and DOT only: rasterizing PNGs is
tested elsewhere and costs seconds per image), then each blueprint's files
are checked for what they mean: one node per component, one edge per flow,
every narrative image link pointing at a written file.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from archgen.build import BuildOptions
from archgen.format import STEP_NAMES
from archgen.gallery import case_studies, render_gallery
from archgen.model import Blueprint
from archgen.parse.load import load

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"
SVG = "{http://www.w3.org/2000/svg}"
CLASSICS = {
    "visual-search",
    "street-view-blurring",
    "video-search",
    "harmful-content-detection",
    "video-recommendation",
    "event-recommendation",
    "ad-click-prediction",
    "similar-listings",
    "news-feed",
    "people-you-may-know",
}
MORE = {
    "rag-assistant",
    "payment-fraud",
    "search-ranking",
    "delivery-eta",
    "query-autocomplete",
    "spam-abuse-filtering",
    "surge-pricing",
    "entity-resolution",
}
# The substance every case study must carry, step by step (issue 5).
REQUIRED_FIELDS = {
    "requirements": ("objective", "scale"),
    "framing": ("objective", "category"),
    "data": ("sources", "features", "labels"),
    "model": ("baseline", "choice", "loss"),
    "evaluation": ("offline", "online"),
    "serving": ("mode", "latency"),
    "monitoring": ("metrics", "retraining"),
}


BUNDLED = case_studies(BLUEPRINTS)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gallery")
    report = render_gallery(BLUEPRINTS, out, BuildOptions(formats=("svg", "dot")))
    assert report.ok, report.errors
    return out


COMMITTED = BLUEPRINTS.parent / "output"


def committed_gallery() -> dict[str, bytes]:
    """The rendered gallery as committed: every file git tracks under output/."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "output"],
        cwd=BLUEPRINTS.parent,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = [Path(name) for name in listed.split("\0") if name]
    return {
        str(path.relative_to("output")): (BLUEPRINTS.parent / path).read_bytes()
        for path in files
        if path.name != "ABOUT.md"
    }


def rendered_gallery(out: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in out.rglob("*")
        if path.is_file() and path.suffix != ".png" and path.name != ".archgen-cache.json"
    }


@pytest.mark.skipif(
    not (BLUEPRINTS.parent / ".git").exists(), reason="needs the git checkout to list output/"
)
def test_the_committed_gallery_is_what_the_code_renders_now(rendered: Path) -> None:
    committed, fresh = committed_gallery(), rendered_gallery(rendered)
    stale = sorted(
        name for name in committed.keys() | fresh.keys() if committed.get(name) != fresh.get(name)
    )
    assert not stale, (
        f"output/ is out of date ({len(stale)} files differ, e.g. {stale[:3]}):"
        " run `make gallery` and commit output/"
    )


def test_the_gallery_holds_the_ten_classics_and_eight_more() -> None:
    ids = {load(p, root=BLUEPRINTS).id for p in BUNDLED}
    assert ids >= CLASSICS
    assert ids >= MORE


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_each_case_study_is_complete(path: Path) -> None:
    bp = load(path, root=BLUEPRINTS)
    assert 8 <= len(bp.components) <= 25
    for step in STEP_NAMES:
        fields = dict(bp.step(step).fields)
        missing = [key for key in REQUIRED_FIELDS[step] if key not in fields]
        assert not missing, f"{step} lacks {missing}"
    assert any(
        any(ch.isdigit() for ch in value)
        for _, value in dict(bp.step("requirements").fields)["scale"]
    )
    assert bp.summary and bp.tags
    assert all(bp.step(name).focus for name in STEP_NAMES), (
        "every step diagram should tell its part"
    )


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_no_component_is_left_without_a_flow(path: Path) -> None:
    bp = load(path, root=BLUEPRINTS)
    assert not [c for c in bp.components if not touched_by_a_flow(bp, c)]


def touched_by_a_flow(bp: Blueprint, component: str) -> bool:
    for flow in bp.flows:
        for end in (flow.source, flow.target):
            if end == component or (bp.is_group(end) and component in bp.group_members(end)):
                return True
    return False


def test_shared_structure_lives_in_fragments_used_more_than_once() -> None:
    fragments = sorted((BLUEPRINTS / "lib").glob("*.yaml"))
    assert len(fragments) >= 3
    uses = {f.resolve(): 0 for f in fragments}
    for path in BUNDLED:
        for source in load(path, root=BLUEPRINTS).sources:
            if source in uses:
                uses[source] += 1
    assert all(count >= 2 for count in uses.values()), uses


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_each_case_study_renders_what_it_declares(path: Path, rendered: Path) -> None:
    bp = load(path, root=BLUEPRINTS)
    folder = rendered / bp.id
    root = ET.parse(folder / f"{bp.id}.svg").getroot()
    groups = list(root.iter(f"{SVG}g"))
    nodes = [g.get("id") for g in groups if g.get("class") == "node"]
    edges = [g for g in groups if g.get("class") == "edge"]
    assert sorted(nodes) == sorted(f"c-{c}" for c in bp.components)
    assert len(edges) == len(bp.flows)
    for step in bp.steps:
        assert (folder / f"{step.slug}.svg").is_file() == bool(step.focus)
    for page in ("README.md", "index.html", "practice.html"):
        links = image_links((folder / page).read_text(encoding="utf-8"), page)
        assert f"{bp.id}.svg" in links
        assert all((folder / link).is_file() for link in links), links


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources += [value for name, value in attrs if name == "src" and value]


def image_links(text: str, page: str) -> set[str]:
    if page.endswith(".html"):
        parser = _Images()
        parser.feed(text)
        return set(parser.sources)
    return set(re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text))


def test_the_index_pages_list_every_case_study(rendered: Path) -> None:
    html = (rendered / "index.html").read_text(encoding="utf-8")
    markdown = (rendered / "README.md").read_text(encoding="utf-8")
    for path in BUNDLED:
        bp = load(path, root=BLUEPRINTS)
        assert f'href="{bp.id}/index.html"' in html
        assert f"]({bp.id}/README.md)" in markdown


# Issue 9: full-size icon PNGs made every SVG 130-370 KB.
MAX_SVG_BYTES = 150_000


def test_every_bundled_svg_is_light(rendered: Path) -> None:
    """Icons are embedded at twice their drawn size, so no diagram nears the budget."""
    sizes = {
        str(path.relative_to(rendered)): path.stat().st_size for path in rendered.rglob("*.svg")
    }
    assert len(sizes) > len(BUNDLED)
    heavy = {name: size for name, size in sizes.items() if size > MAX_SVG_BYTES}
    assert heavy == {}
