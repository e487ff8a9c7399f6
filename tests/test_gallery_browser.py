"""The gallery's index.html in headless Chromium: images, tag filters, search, phone width.

The page must work offline from file:// with no external script. Locally the
tests skip when Chromium or Playwright is missing; in CI (`CI` set) that is a
failure, so a green run always means the page was really checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from archgen.build import BuildOptions
from archgen.gallery import render_gallery

if TYPE_CHECKING:  # Playwright is imported where it runs, in conftest's `browser`
    from playwright.sync_api import Browser, Page

LONG_SUMMARY = " ".join(["A summary that goes on and on about the design."] * 20)
# Fourteen tags: more than every one gets a button for; `ranking` and `search` are on two cards.
BLUEPRINTS = {
    "alpha": ("Alpha ranker", "Orders results.", ["ranking", "search", "a1", "a2", "a3", "a4"]),
    "beta": ("Beta feed", LONG_SUMMARY, ["ranking", "b1", "b2", "b3", "b4", "b5"]),
    "gamma": ("Gamma lookup", "Finds things fast.", ["search", "rare-tag", "c2", "c3"]),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for ident, (title, summary, tags) in BLUEPRINTS.items():
        (src / f"{ident}.yaml").write_text(
            f"archgen: 1\ntitle: {title}\nsummary: {summary}\ntags: [{', '.join(tags)}]\n"
            "components:\n  users: client\n  api: api_gateway\nflows:\n  - users -> api\n"
        )
    out = tmp_path_factory.mktemp("out")
    report = render_gallery(src, out, BuildOptions(formats=("svg", "png"), steps=False))
    assert report.ok, report.errors
    return out / "index.html"


@pytest.fixture
def requested() -> list[str]:
    """Every address the page asks for."""
    return []


@pytest.fixture
def page(browser: Browser, index: Path, requested: list[str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.on("request", lambda request: requested.append(request.url))
    opened.goto(index.as_uri())
    yield opened
    context.close()


def visible_titles(page: Page) -> list[str]:
    return page.locator(".card:visible h2").all_inner_texts()


def filter_button(page: Page, tag: str):  # type: ignore[no-untyped-def]
    return page.locator(f'.filters .tag[data-tag="{tag}"]')


ALL = ["Alpha ranker", "Beta feed", "Gamma lookup"]


def test_every_image_loads(page: Page) -> None:
    images = page.locator("img")
    assert images.count() == 3
    for number in range(images.count()):
        image = images.nth(number)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") > 0, image.get_attribute("src")


def test_nothing_is_fetched_from_outside_the_folder(
    page: Page, index: Path, requested: list[str]
) -> None:
    page.locator("img").last.scroll_into_view_if_needed()
    page.wait_for_load_state("load")
    assert len(requested) == 4  # the page and its three thumbnails
    assert all(url.startswith(index.parent.as_uri() + "/") for url in requested)


def test_links_open_each_case_study(page: Page) -> None:
    page.get_by_role("link", name="Gamma lookup", exact=True).click()
    assert page.url.endswith("/gamma/index.html")
    assert "Gamma lookup" in page.locator("h1").inner_text()


def test_a_tag_filter_hides_the_cards_without_that_tag(page: Page) -> None:
    assert visible_titles(page) == ALL
    filter_button(page, "ranking").click()
    assert visible_titles(page) == ["Alpha ranker", "Beta feed"]
    assert filter_button(page, "ranking").get_attribute("aria-pressed") == "true"
    assert filter_button(page, "").get_attribute("aria-pressed") == "false"
    assert page.locator("#shown").inner_text() == "2 of 3 shown"
    filter_button(page, "ranking").click()
    assert visible_titles(page) == ALL


def test_search_filters_by_title_summary_and_tag(page: Page) -> None:
    search = page.get_by_role("searchbox")
    search.fill("LOOKUP")
    assert visible_titles(page) == ["Gamma lookup"]
    search.fill("goes on and on")
    assert visible_titles(page) == ["Beta feed"]
    search.fill("a3")
    assert visible_titles(page) == ["Alpha ranker"]
    search.fill("no such words")
    assert visible_titles(page) == []
    assert page.locator("#empty").is_visible()


def test_all_restores_every_card(page: Page) -> None:
    filter_button(page, "search").click()
    page.get_by_role("searchbox").fill("fast")
    assert visible_titles(page) == ["Gamma lookup"]
    filter_button(page, "").click()
    assert visible_titles(page) == ALL
    assert page.get_by_role("searchbox").input_value() == ""
    assert not page.locator("#empty").is_visible()


def test_only_shared_tags_are_filter_buttons_the_rest_come_on_demand(page: Page) -> None:
    assert page.locator(".filters .tag:visible").all_inner_texts() == [
        "All",
        "ranking 2",
        "search 2",
    ]
    more = page.locator(".filters .more")
    assert more.inner_text() == "+12 more"
    more.click()
    assert filter_button(page, "rare-tag").is_visible()
    more.click()
    assert not filter_button(page, "rare-tag").is_visible()


def test_a_cards_own_tag_filters_and_shows_as_the_active_filter(page: Page) -> None:
    page.locator('.card .tag[data-tag="rare-tag"]').click()
    assert visible_titles(page) == ["Gamma lookup"]
    assert filter_button(page, "rare-tag").is_visible()
    assert filter_button(page, "rare-tag").get_attribute("aria-pressed") == "true"
    filter_button(page, "").click()
    assert not filter_button(page, "rare-tag").is_visible()
    assert visible_titles(page) == ALL


def test_long_summaries_are_clamped_to_five_lines(page: Page) -> None:
    summary = page.locator(".card", has_text="Beta feed").locator(".summary")
    lines = summary.evaluate(
        "p => p.clientHeight / parseFloat(getComputedStyle(p).lineHeight || '21')"
    )
    assert round(lines) == 5
    assert summary.evaluate("p => p.scrollHeight > p.clientHeight")


def test_fits_a_phone_screen(browser: Browser, index: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        phone = context.new_page()
        phone.goto(index.as_uri())
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        boxes = [card.bounding_box() for card in phone.locator(".card").all()]
        assert all(box is not None and box["x"] >= 0 and box["width"] <= 375 for box in boxes)
        assert len({box["x"] for box in boxes if box}) == 1  # one column
    finally:
        context.close()
