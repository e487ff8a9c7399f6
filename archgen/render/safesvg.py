"""A user's SVG icon rebuilt from what draws: nothing in it can run, load or reach out.

The icon comes from a blueprint's author, but the diagrams it is copied into
are opened by others: in browsers, in draw.io, and in resvg, which reads any
file an ``<image>`` names. So the icon is rebuilt from allow-lists, the way
DOMPurify and ammonia clean HTML, rather than cleaned of known dangers:

- parsed with defusedxml, which refuses a DOCTYPE, so no entity is expanded
  (no "billion laughs") and no external entity or DTD is fetched;
- an element stays only when it is SVG that draws (`ELEMENTS`): scripts,
  ``<foreignObject>``, animation (which can rewrite an ``href``), links and
  every other namespace go, with what they hold;
- an attribute stays only when it places or styles a shape (`ATTRIBUTES`):
  every ``on*`` event handler goes;
- a reference stays only when it points inside the icon (``#id``,
  ``url(#id)``) or is a small embedded PNG, JPEG or GIF; CSS stays only when it
  fetches nothing (no ``@import``, no ``url()`` outside, no escapes);
- nesting and ``<use>`` copies are bounded (the format's `ICON_DEPTH` and
  `ICON_ELEMENTS`), so a small file cannot draw a billion shapes.

What cannot be an icon at all (not XML, a DOCTYPE, not ``<svg>``, too deep,
too many shapes) raises :class:`IconProblem`.

>>> clean_svg(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
...           b'<script>alert(2)</script><circle r="4" fill="url(#g)"/></svg>')
b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4" fill="url(#g)"/></svg>'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.etree.ElementTree import Element, tostring

from archgen.format import ICON_DEPTH, ICON_ELEMENTS, Limit


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

# SVG 1.1/2 elements that draw, group, define paint or filter: nothing that
# scripts, animates, links, embeds other markup or fetches (feImage).
ELEMENTS = _words(
    """svg g defs symbol use switch path rect circle ellipse line polyline polygon
    text tspan textPath linearGradient radialGradient stop pattern clipPath mask marker
    image filter style feBlend feColorMatrix feComponentTransfer feComposite
    feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight feDropShadow
    feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge feMergeNode
    feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile
    feTurbulence"""
)
# Attributes that place, size, paint or filter a shape, in no namespace; an event
# handler (`on*`) is none of them. `href` is checked apart (`is_local_reference`).
ATTRIBUTES = _words(
    """id class style transform x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d
    points pathLength viewBox preserveAspectRatio version fill fill-opacity fill-rule
    stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-dasharray stroke-dashoffset stroke-opacity opacity color display visibility
    overflow clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits
    marker-start marker-mid marker-end markerWidth markerHeight markerUnits refX refY
    orient filter filterUnits primitiveUnits gradientUnits gradientTransform
    spreadMethod offset stop-color stop-opacity patternUnits patternContentUnits
    patternTransform font-family font-size font-weight font-style font-variant
    font-stretch text-anchor dominant-baseline alignment-baseline baseline-shift
    letter-spacing word-spacing text-decoration writing-mode dx dy rotate textLength
    lengthAdjust startOffset method spacing side shape-rendering text-rendering
    image-rendering color-interpolation color-interpolation-filters flood-color
    flood-opacity lighting-color paint-order vector-effect mix-blend-mode isolation
    in in2 result stdDeviation mode operator k1 k2 k3 k4 values type tableValues
    slope intercept amplitude exponent radius scale xChannelSelector yChannelSelector
    baseFrequency numOctaves seed stitchTiles order kernelMatrix divisor bias targetX
    targetY edgeMode preserveAlpha surfaceScale diffuseConstant specularConstant
    specularExponent kernelUnitLength azimuth elevation z pointsAtX pointsAtY
    pointsAtZ limitingConeAngle requiredFeatures systemLanguage"""
)
# CSS that fetches or hides what it does: an at-rule, an escape, a function
# that loads a picture. `url()` is checked apart: to `#id` it only names a paint.
_CSS_FETCH = re.compile(r"[@\\]|\b(?:image|image-set|cross-fade|element|expression)\s*\(", re.I)
_CSS_URL = re.compile(r"\burl\s*\(\s*(['\"]?)([^)]*?)\1\s*\)", re.IGNORECASE)
_URL_CALL = re.compile(r"\burl\s*\(", re.IGNORECASE)


class IconProblem(ValueError):
    """What makes a file no icon, in words for a diagnostic (an SVG's here, a
    PNG's in :mod:`archgen.render.icons`)."""

    @classmethod
    def over(cls, limit: Limit, found: str) -> IconProblem:
        """An icon past one of the format's limits; `found` says how far."""
        hint = f" ({limit.hint})" if limit.hint else ""
        return cls(limit.exceeded(found) + hint)


def clean_svg(data: bytes, raster_is_safe: Callable[[str], bool] = lambda uri: False) -> bytes:
    """The SVG `data` with only what draws kept (see the module docstring).

    `raster_is_safe` judges an embedded ``data:image/...`` picture that an
    ``href`` holds; by default none is kept.
    """
    root = _parsed(data)
    _check_shape(root)
    _keep_what_draws(root, raster_is_safe)
    _check_copies(root)
    return _serialized(root)


def _parsed(data: bytes) -> Element:
    import defusedxml.ElementTree  # here, not at the top: only a user's SVG icon needs it
    from defusedxml import DefusedXmlException

    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise IconProblem(
            "has a DOCTYPE or entity declarations; an SVG icon needs none, and its "
            "entities could expand without bound (remove the <!DOCTYPE ...> line)"
        ) from None
    except SyntaxError as error:  # ElementTree.ParseError
        raise IconProblem(f"is not well-formed XML ({error})") from None
    if root.tag != f"{{{SVG}}}svg":
        raise IconProblem(
            f"is not an SVG: its root element is {_local(root.tag)!r} in "
            f"{_namespace(root.tag) or 'no namespace'}, not <svg "
            f'xmlns="{SVG}">'
        )
    return root


def _check_shape(root: Element) -> None:
    """Refused before anything walks it recursively (serializing would recurse as
    deep as it nests): too deep or too big."""
    stack = [(root, 1)]
    count = 0
    while stack:
        element, depth = stack.pop()
        count += 1
        if depth > ICON_DEPTH.value:
            raise IconProblem.over(ICON_DEPTH, f"nests elements {depth} levels deep")
        stack.extend((child, depth + 1) for child in element)
    if count > ICON_ELEMENTS.value:
        raise IconProblem.over(ICON_ELEMENTS, f"has {count:,} elements")


def _keep_what_draws(root: Element, raster_is_safe: Callable[[str], bool]) -> None:
    for element in _elements(root):
        for child in list(element):
            if not _draws(child):
                element.remove(child)
        _keep_safe_attributes(element, raster_is_safe)
        if _local(element.tag) == "style" and not _css_is_local(element.text or ""):
            element.text = ""
        element.tag = _local(element.tag)


def _elements(root: Element) -> Iterator[Element]:
    """Every element, parents before children, without recursion; children a
    parent drops are never visited."""
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(reversed(list(element)))


def _draws(element: Element) -> bool:
    return _namespace(element.tag) == SVG and _local(element.tag) in ELEMENTS


def _keep_safe_attributes(element: Element, raster_is_safe: Callable[[str], bool]) -> None:
    kept: dict[str, str] = {}
    for name, value in element.attrib.items():
        if name in (f"{{{XLINK}}}href", "href"):
            if is_local_reference(value) or (value.startswith("data:") and raster_is_safe(value)):
                kept["href"] = value
        elif _is_styling(name) and _css_is_local(value):
            kept[name] = value
    element.attrib.clear()
    element.attrib.update(kept)


def _is_styling(name: str) -> bool:
    """An allowed attribute in no namespace, or `xml:space` (how text keeps spaces)."""
    return name in ATTRIBUTES or name == f"{{{XML}}}space"


def is_local_reference(value: str) -> bool:
    """``#id``: a part of the icon itself."""
    return value.strip().startswith("#")


def _css_is_local(css: str) -> bool:
    """CSS or an attribute value that fetches nothing: every `url()` names `#id`."""
    if _CSS_FETCH.search(css):
        return False
    urls = _CSS_URL.findall(css)
    if len(urls) != len(_URL_CALL.findall(css)):  # a url( the pattern cannot read
        return False
    return all(is_local_reference(target) for _, target in urls)


def _check_copies(root: Element) -> None:
    """Each <use> draws a copy of what it names, which may hold more <use>s: the
    elements drawn, copies counted, stay within the limit, and no copy holds
    itself. Counted children first, without recursion."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    drawn: dict[int, int] = {}
    counting: set[int] = set()
    stack = [(root, False)]
    while stack:
        element, parts_counted = stack.pop()
        key = id(element)
        parts = _parts(element, by_id)
        if parts_counted:
            drawn[key] = 1 + sum(drawn[id(part)] for part in parts)
            counting.discard(key)
            if drawn[key] > ICON_ELEMENTS.value:
                raise IconProblem.over(ICON_ELEMENTS, f"draws {drawn[key]:,} elements")
        elif key in counting:
            raise IconProblem("has a <use> that copies an element holding it")
        elif key not in drawn:
            counting.add(key)
            stack.append((element, True))
            stack.extend((part, False) for part in parts if id(part) not in drawn)


def _parts(element: Element, by_id: dict[str | None, Element]) -> list[Element]:
    """What `element` draws besides itself: its children, and what a <use> copies."""
    parts = list(element)
    target = by_id.get(element.get("href", "#").strip()[1:]) if element.tag == "use" else None
    return [*parts, target] if target is not None else parts


def _serialized(root: Element) -> bytes:
    """The tree as SVG, in the SVG namespace by default (no `ns0:` prefixes)."""
    attributes = dict(root.attrib)
    root.attrib.clear()
    root.attrib.update({"xmlns": SVG, **attributes})
    # ElementTree escapes every `>` in text and values: " />" ends an empty element.
    return tostring(root, encoding="unicode").replace(" />", "/>").encode("utf-8")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""
