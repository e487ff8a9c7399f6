"""`archgen watch --serve`: the output over HTTP, pages that reload after each render,
and Ctrl-C that ends it all cleanly."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from archgen.errors import UsageError
from archgen.watch import PreviewServer
from archgen.watch.serve import RELOAD_SCRIPT, STATE_PATH, with_reload

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TIMEOUT = 60
MARKER = "added by archgen watch"


def blueprint(title: str, extra: str = "") -> str:
    return (
        f"archgen: 1\ntitle: {title}\n{extra}"
        "components:\n  users: client\n  api: api_gateway\nflows:\n  - users -> api\n"
    )


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read(), dict(response.headers)


def state(base: str) -> dict:
    return json.loads(fetch(base.rstrip("/") + STATE_PATH)[0])


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {TIMEOUT}s")
        time.sleep(0.1)


# -- the page as served ----------------------------------------------------


def test_the_script_goes_before_the_last_body_end_tag() -> None:
    page = b"<html><body><p>&lt;/body&gt;</p></BODY >\n</html>\n"
    served = with_reload(page)
    assert served.replace(RELOAD_SCRIPT.encode(), b"") == page
    assert served.index(MARKER.encode()) < served.index(b"</BODY >")
    assert with_reload(b"<p>no body</p>").endswith(RELOAD_SCRIPT.encode())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text("<html><body>hi</body></html>")
    (tmp_path / "sub" / "a.svg").write_text("<svg/>")
    with PreviewServer(tmp_path, 0) as running:
        yield running


def test_html_is_served_with_the_script_and_the_rest_as_it_is(
    server: PreviewServer, tmp_path: Path
) -> None:
    for path in ("sub/index.html", "sub/", "sub/index.html?x=1"):
        body, headers = fetch(server.url + path)
        assert MARKER.encode() in body and headers["Cache-Control"] == "no-store"
        assert body.replace(RELOAD_SCRIPT.encode(), b"") == b"<html><body>hi</body></html>"
    assert fetch(server.url + "sub/a.svg")[0] == b"<svg/>"
    assert MARKER not in (tmp_path / "sub" / "index.html").read_text()


def test_the_version_grows_when_an_output_changed(server: PreviewServer) -> None:
    assert state(server.url) == {"version": 0, "errors": []}
    server.published(True, [])
    assert state(server.url) == {"version": 1, "errors": []}
    server.published(False, ["a.yaml:5:8: error: unknown kind"])
    assert state(server.url) == {"version": 1, "errors": ["a.yaml:5:8: error: unknown kind"]}


def test_a_port_in_use_is_a_usage_error(server: PreviewServer, tmp_path: Path) -> None:
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    with pytest.raises(UsageError, match=f"cannot serve on 127.0.0.1:{port}"):
        PreviewServer(tmp_path, port)


# -- the command, end to end -------------------------------------------------


class Lines:
    """A process's stdout, line by line, read in a thread so that waiting can time out."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(
            target=lambda: [self.lines.put(line) for line in stream], daemon=True
        ).start()

    def until(self, start: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no line starting {start!r} within {TIMEOUT}s; got {self.seen}")
            self.seen.append(line)
            if line.startswith(start):
                return line


def test_watch_serves_reloads_reports_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    source = tmp_path / "system.yaml"
    source.write_text(blueprint("Served"))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "archgen", "watch", str(source), "-o", str(out)]
    process = subprocess.Popen(
        [*command, "--no-steps", "--serve", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = Lines(process)
        page = lines.until("serving").split(" at ", 1)[1].strip()
        lines.until("watching")
        base = page.rsplit("system/", 1)[0]
        assert page == base + "system/index.html"
        body = fetch(page)[0]
        on_disk = (out / "system" / "index.html").read_bytes()
        assert MARKER.encode() in body and MARKER.encode() not in on_disk
        assert body.replace(RELOAD_SCRIPT.encode(), b"") == on_disk
        assert state(base) == {"version": 0, "errors": []}

        source.write_text(blueprint("Served", "summary: Saved again.\n"))
        wait_for(lambda: state(base)["version"] == 1, "a render after the save")
        assert b"Saved again." in fetch(page)[0]

        source.write_text(blueprint("Served").replace("api_gateway", "api_gatway"))
        wait_for(lambda: bool(state(base)["errors"]), "the error of a broken save")
        assert state(base)["version"] == 1
        assert b"Saved again." in fetch(page)[0]  # the last good page, still served
    finally:
        process.send_signal(signal.SIGINT)
        status = process.wait(timeout=TIMEOUT)
    assert process.stderr is not None
    errors = process.stderr.read()
    assert status == 0
    assert lines.until("archgen watch: stopped")
    assert f"{source}:5:8: error: unknown kind 'api_gatway'" in errors
    assert "Traceback" not in errors


def test_an_open_page_reloads_after_a_render_and_shows_errors(
    browser: Browser, tmp_path: Path
) -> None:
    """The injected script, run by Chromium: a new version reloads the page, errors show."""
    page_file = tmp_path / "index.html"
    page_file.write_text("<html><body><h1>before</h1></body></html>")
    with PreviewServer(tmp_path, 0) as server:
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "index.html")
        page.wait_for_function("document.querySelector('pre') === null")
        page_file.write_text("<html><body><h1>after</h1></body></html>")
        server.published(True, [])
        page.wait_for_function(
            "document.querySelector('h1').textContent === 'after'", timeout=TIMEOUT * 1000
        )
        server.published(False, ["a.yaml:5:8: error: <unknown> kind"])
        page.wait_for_function(
            "(document.querySelector('pre') || {}).textContent === "
            "'a.yaml:5:8: error: <unknown> kind'",
            timeout=TIMEOUT * 1000,
        )
        server.published(False, [])
        page.wait_for_function("document.querySelector('pre') === null", timeout=TIMEOUT * 1000)
        context.close()
