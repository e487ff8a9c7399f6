"""The curriculum (format 1.1): `family`, `level` and `related`, the index by family,
and each gallery page's links to the case studies it shares structure with."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema
import pytest
from conftest import opened_page
from test_compose import errors_of, tree

from archgen.build import BuildOptions, build
from archgen.cli import EXIT_OK, main
from archgen.format import FAMILIES, LEVELS, names
from archgen.gallery import render_gallery
from archgen.gallery.pages import Card, sections, write_index
from archgen.gallery.related import MAX_SHARING, Profile, relatives
from archgen.model import Relative
from archgen.parse.load import load
from archgen.schema_gen import SCHEMA_FILE

if TYPE_CHECKING:  # Playwright is imported where it runs, in conftest's `browser`
    from playwright.sync_api import Browser

SVG_ONLY = BuildOptions(formats=("svg",), steps=False)
SPEC_EXAMPLE = Path(__file__).parent / "data" / "valid" / "spec-example.yaml"


def blueprint(title: str, extra: str = "", components: str = "users: client") -> str:
    return f"archgen: 1\ntitle: {title}\n{extra}components: {{{components}}}\n"


# -- the keys -------------------------------------------------------------------


def test_family_level_and_related_load_into_the_model(tmp_path: Path) -> None:
    text = blueprint(
        "Feed",
        "family: recommendation-and-ranking\nlevel: advanced\n"
        "related: [video-search, people-you-may-know, video-search]\n",
    )
    bp = load(tree(tmp_path, {"feed.yaml": text}))
    assert (bp.family, bp.level) == ("recommendation-and-ranking", "advanced")
    assert bp.related == ("video-search", "people-you-may-know")
    assert bp.relatives == ()


def test_a_file_without_them_loads_as_before() -> None:
    bp = load(SPEC_EXAMPLE)
    assert (bp.family, bp.level, bp.related) == ("", "", ())


def test_an_unknown_family_or_level_is_an_error_at_its_value(tmp_path: Path) -> None:
    path = tree(tmp_path, {"x.yaml": blueprint("X", "family: serch-and-retrieval\nlevel: 2\n")})
    assert errors_of(path) == [
        f"{path}:3:9: error: unknown family 'serch-and-retrieval'"
        " (did you mean 'search-and-retrieval'?)",
        f"{path}:4:8: error: unknown level '2' (expected one of: advanced, foundation, intermediate)",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("video-search", "3:10: error: `related` must be a list of case study ids, not text"),
        ("[Video Search]", "3:11: error: bad case study id 'Video Search' in `related`"),
        ("[x, ok]", "3:11: error: `related` names this case study itself ('x')"),
    ],
)
def test_related_is_a_list_of_the_ids_of_other_case_studies(
    tmp_path: Path, value: str, message: str
) -> None:
    path = tree(tmp_path, {"x.yaml": blueprint("X", f"related: {value}\n")})
    [error] = errors_of(path)
    assert error.startswith(f"{path}:{message}")


def test_a_blueprint_inherits_family_and_level_and_adds_to_related(tmp_path: Path) -> None:
    base = blueprint("Base", "family: data-quality\nlevel: foundation\nrelated: [a]\n")
    child = "archgen: 1\nextends: base.yaml\nlevel: advanced\nrelated: [b, a]\n"
    bp = load(tree(tmp_path, {"child.yaml": child, "base.yaml": base}))
    assert (bp.family, bp.level, bp.related) == ("data-quality", "advanced", ("a", "b"))


def test_the_editor_schema_offers_the_families_and_levels() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    top = schema["properties"]
    assert top["family"]["enum"] == list(names(FAMILIES))
    assert top["level"]["enum"] == list(names(LEVELS))
    validator = jsonschema.Draft202012Validator(schema)
    good = {"archgen": 1, "title": "T", "components": {"u": "client"}, "related": ["a-b"]}
    assert list(validator.iter_errors({**good, "family": "data-quality"})) == []
    assert list(validator.iter_errors({**good, "family": "quality"}))
    assert list(validator.iter_errors({**good, "related": ["Not an id"]}))


# -- relating case studies --------------------------------------------------------

COMMON = ("client", "monitoring", "model_registry")


def profile(ident: str, *parts: str, extends: tuple[str, ...] = (), named: tuple[str, ...] = ()):
    return Profile(ident, ident.title(), extends, tuple(sorted({*COMMON, *parts})), named)


def related_ids(found: dict[str, tuple[Relative, ...]], ident: str) -> list[str]:
    return [relative.id for relative in found[ident]]


def test_rare_shared_structure_relates_and_what_every_case_has_does_not() -> None:
    found = relatives(
        [
            profile("feed", "ranker", "re_ranker", extends=("lib/recsys.yaml",)),
            profile("video", "ranker", "re_ranker", "cache", extends=("lib/recsys.yaml",)),
            profile("fraud", "rules_engine", "human_review"),
            profile("spam", "rules_engine", "human_review", "cache"),
            profile("eta", "feature_store"),
        ]
    )
    assert related_ids(found, "feed") == ["video"]
    assert related_ids(found, "fraud") == ["spam"]
    assert found["eta"] == ()  # it shares only what every case study has
    [video] = found["feed"]
    assert video == Relative("video", "Video", ("recsys",), ("ranker", "re_ranker"))


def test_a_named_case_study_links_both_ways_and_comes_first() -> None:
    found = relatives(
        [
            profile("feed", "ranker", "re_ranker", named=("eta",)),
            profile("video", "ranker", "re_ranker"),
            profile("eta", "feature_store"),
        ]
    )
    assert related_ids(found, "feed") == ["eta", "video"]
    assert related_ids(found, "eta") == ["feed"]
    assert found["eta"][0].named and not found["feed"][1].named
    assert found["eta"][0].kinds == ()  # named, without sharing anything rare


def test_a_page_lists_the_closest_few_closest_first() -> None:
    rare = ("ranker", "re_ranker", "candidate_generation", "vector_index")
    alike = [
        profile("same", *rare),
        profile("no-index", *rare[:3]),
        profile("with-cache", *rare, "cache"),
        profile("with-lake", *rare, "data_lake"),
        profile("half", *rare[:2]),
    ]
    others = [profile(f"llm-{n}", "llm", "guardrails") for n in range(6)]
    found = relatives([profile("target", *rare), *alike, *others])
    assert len(found["target"]) == MAX_SHARING < len(alike)
    assert related_ids(found, "target")[:2] == ["same", "no-index"]


def test_the_relatives_do_not_depend_on_the_order_the_gallery_lists_its_case_studies() -> None:
    """A run with nothing to redraw lists them from the cache, a cold run as it loads them."""
    profiles = [
        profile("surge", "stream_processor", named=("eta", "forecast")),
        profile("forecast", "batch_inference"),
        profile("eta", "stream_processor", "cache"),
        profile("notify", "stream_processor", "batch_inference"),
        profile("feed", "ranker", named=("surge",)),
    ]
    first = relatives(profiles)
    assert related_ids(first, "surge") == ["eta", "feed", "forecast"]  # named: by title
    for turn in range(1, len(profiles)):
        assert relatives(profiles[turn:] + profiles[:turn]) == first
        assert relatives(profiles[::-1][turn:] + profiles[::-1][:turn]) == first


TIED = """
import json, sys
from archgen.gallery.related import Profile, relatives
profiles = [Profile(*fields) for fields in json.loads(sys.argv[1])]
print([r.id for r in relatives(profiles)["target"]])
"""


def test_two_equally_close_case_studies_are_listed_by_title_whatever_the_hash_seed() -> None:
    """Sets iterate in an order that changes with the process's hash seed; an exact tie
    must not turn on the order in which a score's terms were added."""
    # Kinds a_n and b_n are each drawn by n + 1 fillers, so they weigh the same, and
    # weigh differently for every n: the two case studies are mirror images.
    kinds = {side: [f"{side}_{n}" for n in range(10)] for side in "ab"}
    fillers = [
        profile(f"filler-{side}-{n}-{copy}", kind)
        for side, sided in kinds.items()
        for n, kind in enumerate(sided)
        for copy in range(n + 1)
    ]
    zebra, aardvark = profile("zebra", *kinds["a"]), profile("aardvark", *kinds["b"])
    target = profile("target", *kinds["a"], *kinds["b"])
    found = relatives([target, zebra, aardvark, *fillers])
    assert related_ids(found, "target") == ["aardvark", "zebra"]
    profiles = json.dumps([list(astuple(p)) for p in [target, zebra, aardvark, *fillers]])
    orders = {
        subprocess.run(
            [sys.executable, "-c", TIED, profiles],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(12)
    }
    assert len(orders) == 1, orders


def test_two_case_studies_alike_in_everything_share_nothing_distinctive() -> None:
    assert relatives([profile("a", "ranker"), profile("b", "ranker")]) == {"a": (), "b": ()}


# -- the index --------------------------------------------------------------------


def card(title: str, family: str = "", level: str = "") -> Card:
    ident = title.lower().replace(" ", "-")
    return Card(
        id=ident,
        title=title,
        summary="",
        tags=(),
        source=f"{ident}.yaml",
        thumbnail="",
        page="",
        practice="",
        components=2,
        flows=1,
        review="clean",
        review_level="clean",
        family=family,
        level=level,
    )


def test_the_index_groups_by_family_in_curriculum_order_then_by_level() -> None:
    cards = [
        card("Zeta", "search-and-retrieval", "foundation"),
        card("Ads", "recommendation-and-ranking", "advanced"),
        card("Loose"),
        card("Video", "recommendation-and-ranking", "foundation"),
        card("Feed", "recommendation-and-ranking", "intermediate"),
        card("Alpha", "search-and-retrieval"),
    ]
    found = [(s.title, [c.title for c in s.cards]) for s in sections(cards)]
    assert found == [
        ("Recommendation and ranking", ["Video", "Feed", "Ads"]),
        ("Search and retrieval", ["Zeta", "Alpha"]),
        ("Other case studies", ["Loose"]),
    ]


def test_a_gallery_without_families_is_one_list_by_title() -> None:
    [section] = sections([card("Beta"), card("Alpha")])
    assert section.title == "" and [c.title for c in section.cards] == ["Alpha", "Beta"]


def test_the_index_pages_show_the_families_and_each_case_studys_level(tmp_path: Path) -> None:
    cards = [
        card("Ads", "recommendation-and-ranking", "advanced"),
        card("Merge", "data-quality", "foundation"),
    ]
    write_index(tmp_path, cards, SVG_ONLY)
    markdown = (tmp_path / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", markdown, re.MULTILINE)
    assert headings == ["Recommendation and ranking", "Data quality"]
    assert "|  | Ads |  |  | Advanced | clean |" in markdown
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<section class="family" id="data-quality"' in html
    assert '<a href="#recommendation-and-ranking">Recommendation and ranking</a>' in html
    assert '<span class="level advanced">Advanced</span>' in html


# -- a gallery's pages link their relatives -------------------------------------

FRAGMENT = "archgen: 1\nfragment: true\ncomponents:\n  store: feature_store\n"
ALIKE = "archgen: 1\ntitle: {title}\nextends: lib/base.yaml\ncomponents: {{users: client}}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Alpha and Beta are built alike; Gamma names Delta, with which it shares nothing."""
    src = tmp_path / "src"
    tree(
        src,
        {
            "lib/base.yaml": FRAGMENT,
            "alpha.yaml": ALIKE.format(title="Alpha"),
            "beta.yaml": ALIKE.format(title="Beta"),
            "gamma.yaml": blueprint("Gamma", "related: [delta]\n", "users: client, r: ranker"),
            "delta.yaml": blueprint("Delta", "", "users: client, db: database"),
        },
    )
    return src


def test_each_page_links_to_the_case_studies_it_relates_to(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert render_gallery(folder, out, SVG_ONLY, jobs=1).ok
    alpha = (out / "alpha" / "README.md").read_text(encoding="utf-8")
    assert alpha.endswith(
        "## Related case studies\n\n"
        "Shares structure with [Beta](../beta/README.md) (base, feature store).\n"
    )
    assert '<a href="../alpha/index.html">Alpha</a>' in (out / "beta" / "index.html").read_text()
    for page, other in (("gamma", "Delta"), ("delta", "Gamma")):
        text = (out / page / "README.md").read_text(encoding="utf-8")
        assert f"Compare with [{other}](../{other.lower()}/README.md)." in text
        assert "Shares structure" not in text


def test_a_blueprint_rendered_alone_links_to_none(folder: Path, tmp_path: Path) -> None:
    build(load(folder / "gamma.yaml"), tmp_path, SVG_ONLY)
    assert "Related case studies" not in (tmp_path / "gamma" / "README.md").read_text()


def test_naming_a_case_study_the_gallery_lacks_is_a_warning_at_its_line(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder holding part of a gallery (a subset copied to try something) still renders."""
    (folder / "delta.yaml").unlink()
    args = ["gallery", str(folder), "-o", str(tmp_path / "out"), "--format", "svg", "-q"]
    assert main([*args, "--no-steps"]) == EXIT_OK
    warning = f"{folder / 'gamma.yaml'}:3:11: warning: `related` names 'delta', which is no case"
    assert capsys.readouterr().err.startswith(warning)
    gamma = (tmp_path / "out" / "gamma" / "README.md").read_text(encoding="utf-8")
    assert "Compare with" not in gamma and "delta" not in gamma.lower()


def test_a_change_elsewhere_redraws_only_the_pages_whose_relatives_it_changes(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    render_gallery(folder, out, SVG_ONLY, jobs=1)
    assert render_gallery(folder, out, SVG_ONLY, jobs=1).rendered == []
    beta = folder / "beta.yaml"
    beta.write_text(beta.read_text().replace("Beta", "Bêta"), encoding="utf-8")
    report = render_gallery(folder, out, SVG_ONLY, jobs=1)
    assert sorted(report.rendered) == ["alpha.yaml", "beta.yaml"]  # Alpha links to Bêta
    assert "[Bêta](../beta/README.md)" in (out / "alpha" / "README.md").read_text()
    delta = folder / "delta.yaml"
    delta.write_text(delta.read_text().replace("Delta", "Delta, renamed"), encoding="utf-8")
    assert sorted(render_gallery(folder, out, SVG_ONLY, jobs=1).rendered) == [
        "delta.yaml",
        "gamma.yaml",
    ]
    assert render_gallery(folder, out, SVG_ONLY, jobs=1).rendered == []


def test_a_filter_hides_the_families_it_leaves_empty(browser: Browser, tmp_path: Path) -> None:
    cards = [
        card("Ads", "recommendation-and-ranking", "advanced"),
        card("Feed", "recommendation-and-ranking", "foundation"),
        card("Merge", "data-quality", "foundation"),
    ]
    write_index(tmp_path, cards, SVG_ONLY)
    with opened_page(browser, tmp_path / "index.html") as (page, _, _):
        families = page.locator(".family:visible > h2")
        assert families.all_inner_texts() == ["Recommendation and ranking", "Data quality"]
        page.get_by_role("searchbox").fill("merge")
        assert families.all_inner_texts() == ["Data quality"]
        page.get_by_role("searchbox").fill("")
        assert len(families.all_inner_texts()) == 2
