"""The output folder over HTTP on 127.0.0.1, its pages reloading after each render.

The standard library's server, in a thread, is enough for one reader on
one machine. The files on disk stay exactly as `archgen render` writes them:
only what the server sends of an HTML page carries a small script, which asks
`STATE_PATH` twice a second for the render count, reloads the page when it
grows, and shows the errors of the last save at the bottom of the page.
"""

from __future__ import annotations

import io
import json
import re
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from archgen.errors import UsageError

HOST = "127.0.0.1"
# Not a file name archgen writes, nor one a blueprint id can take.
STATE_PATH = "/.archgen-watch"
RELOAD_SCRIPT = """<script>/* added by archgen watch, not in the file on disk */
(() => {
  let seen = null;
  const box = document.createElement("pre");
  box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;margin:0;" +
    "padding:.75em 1em;max-height:40vh;overflow:auto;white-space:pre-wrap;" +
    "font:13px/1.4 monospace;background:#fff0f0;color:#900;border-top:2px solid #c00";
  async function poll() {
    try {
      const state = await (await fetch("STATE_PATH", {cache: "no-store"})).json();
      if (seen !== null && state.version !== seen) { location.reload(); return; }
      seen = state.version;
      box.textContent = state.errors.join("\\n");
      if (state.errors.length) { document.body.append(box); } else { box.remove(); }
    } catch (error) { /* archgen watch stopped: try again */ }
    setTimeout(poll, 500);
  }
  poll();
})();
</script>
""".replace("STATE_PATH", STATE_PATH)
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


class PreviewServer:
    """Serves `out` until closed; `published` tells the open pages what the last render did."""

    def __init__(self, out: Path, port: int) -> None:
        handler = partial(PreviewHandler, directory=str(out))
        try:
            self.httpd = _Server((HOST, port), handler)
        except OSError as error:
            reason = error.strerror or str(error)
            raise UsageError(f"cannot serve on {HOST}:{port}: {reason}") from error
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.httpd.server_address[1]}/"

    @property
    def version(self) -> int:
        return self.httpd.version

    def published(self, changed: bool, errors: list[str]) -> None:
        """After a render: open pages reload when an output `changed`, and show `errors`."""
        self.httpd.state = (self.httpd.version + (1 if changed else 0), errors)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def __enter__(self) -> PreviewServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # (render count, errors of the last render), replaced whole: a reader sees one or
    # the other, never half of each.
    state: tuple[int, list[str]] = (0, [])

    @property
    def version(self) -> int:
        return self.state[0]


class PreviewHandler(SimpleHTTPRequestHandler):
    """A file server that adds the reload script to HTML pages and never lets a
    browser cache: a reload must show the last render."""

    server: _Server

    def send_head(self) -> Any:
        route = self.path.split("?", 1)[0].split("#", 1)[0]
        if route == STATE_PATH:
            version, errors = self.server.state
            state = json.dumps({"version": version, "errors": errors}).encode()
            return self._send(state, "application/json")
        path = Path(self.translate_path(self.path))
        if path.is_dir() and route.endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._send(with_reload(path.read_bytes()), "text/html")
        return super().send_head()

    def _send(self, body: bytes, content_type: str) -> io.BytesIO:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is the command line's, which reports renders, not requests."""


def with_reload(page: bytes) -> bytes:
    """The page with the reload script just before its last `</body>`, else at its end."""
    script = RELOAD_SCRIPT.encode()
    ends = list(BODY_END.finditer(page))
    if not ends:
        return page + script
    at = ends[-1].start()
    return page[:at] + script + page[at:]
