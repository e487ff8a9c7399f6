"""The study notes at the top level (format 1.1): `references` and `review`.

A reference ends up as a link on a page, so its URL is held to http and https
here, at its line and column, rather than quietly dropped by the narrative:
a `javascript:` or `file:` address never reaches an output. Review rule ids
are only read here; which rules exist is the design review's business.
"""

from __future__ import annotations

from archgen.format import REFERENCE_KEYS, REVIEW_KEYS, names, url_problem
from archgen.model import Reference
from archgen.parse.validate.shapes import Shapes
from archgen.parse.yamltree import Mapping, Node, Scalar, Sequence, kind_of

URL_HINT = "write a web address such as https://example.com/paper"


def read_references(tree: Mapping, shapes: Shapes) -> tuple[Reference, ...]:
    """The references that are well formed; each problem reported at its item."""
    node = shapes.written(
        tree.get("references"),
        Sequence,
        "`references` must be a list of URLs or of {title, url} mappings",
        "start each reference on its own line with `- `",
    )
    found = (_reference(item, shapes) for item in node.items) if node is not None else ()
    return tuple(reference for reference in found if reference is not None)


def _reference(item: Node, shapes: Shapes) -> Reference | None:
    if isinstance(item, Scalar) and not item.is_null:
        url = _url(item, shapes)
        return Reference(url) if url else None
    if not isinstance(item, Mapping):
        shapes.errors.error(
            item.mark,
            f"a reference must be a URL or a mapping with `title` and `url`, not {kind_of(item)}",
        )
        return None
    shapes.unknown_keys(item, names(REFERENCE_KEYS), "a reference")
    for key in ("title", "url"):
        if item.get(key) is None:
            shapes.errors.error(item.mark, f"a reference lacks `{key}`", f"add `{key}:`")
    title = shapes.text(item.get("title"), "a reference's `title`")
    note = shapes.text(item.get("note"), "a reference's `note`") or ""
    url_node = item.get("url")
    url = _url(url_node, shapes) if url_node is not None else None
    return Reference(url, title, note) if url and title else None


def _url(node: Node, shapes: Shapes) -> str | None:
    """The URL when it is an http(s) address; None, reported, when it is not."""
    url = shapes.text(node, "a reference's `url`")
    if url is None:
        return None
    problem = url_problem(url)
    if problem:
        shapes.errors.error(node.mark, f"reference URL '{url}' {problem}", URL_HINT)
        return None
    return url


def read_review(tree: Mapping, shapes: Shapes) -> dict[str, str]:
    """Rule id -> the reason this blueprint leaves the rule out ("" when none is given)."""
    node = shapes.written(
        tree.get("review"),
        Mapping,
        "`review` must be a mapping with `ignore`",
        "write `review: {ignore: [rule-id]}`",
    )
    if node is None:
        return {}
    shapes.unknown_keys(node, names(REVIEW_KEYS), "`review`")
    ignore = shapes.written(
        node.get("ignore"),
        Sequence,
        "`review.ignore` must be a list of review rule ids",
        "write `ignore: [rule-id]`, or `- rule-id: the reason` one per line",
    )
    items = ignore.items if ignore is not None else ()
    found = (shapes.pair(item, "`review.ignore`", "rule-id: reason") for item in items)
    return dict(pair for pair in found if pair is not None)
