"""A blueprint's own page (index.html) in headless Chromium.

The narrative page must show every diagram (no broken image), ask for
nothing outside its folder, and show hostile blueprint text as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import opened_page

from archgen.build import BuildOptions, build
from archgen.parse.load import load

EDGE_CASES = Path(__file__).parent / "data" / "valid" / "edge-cases.yaml"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("narrative")
    build(load(EDGE_CASES), out, BuildOptions(formats=("svg",)))
    return out / "edge-cases" / "index.html"


@pytest.fixture
def opened(browser, page_file: Path) -> Iterator[tuple[object, list[str], list[str]]]:
    with opened_page(browser, page_file) as opened:
        yield opened


def test_every_diagram_shows(opened, page_file: Path) -> None:
    page, _, _ = opened
    for image in page.locator("img").all():  # lazy images load once scrolled to
        image.scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(i => i.complete)")
    sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.src, i.naturalWidth])")
    assert len(sizes) >= 2  # the overview and at least one step
    assert all(width > 0 for _, width in sizes), sizes


def test_nothing_is_fetched_from_outside_the_folder(opened, page_file: Path) -> None:
    _, requested, _ = opened
    folder = page_file.parent.as_uri()
    assert all(url.startswith(folder) or url.startswith("data:") for url in requested), requested


def test_hostile_text_stays_text(opened) -> None:
    page, _, dialogs = opened
    assert dialogs == []
    assert page.locator("script").count() == 0
    body = page.inner_text("body")
    assert "<script>alert(1)</script>" in body
    assert "Raw <b>HTML</b> must show literally." in body
