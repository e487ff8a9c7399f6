"""The catalog's own rules, checked by the test suite rather than at load time.

The catalog is data that anyone may extend: a bad entry is found before a
release, and users never pay for the check (nor for importing the icon code
it needs, which loading a blueprint does not).
"""

from __future__ import annotations

from collections.abc import Iterator

from archgen.catalog import COLOUR, KIND_NAME, TECH_NAME, Catalog
from archgen.format import CLOUD_FLAVORS, FLAVORS, STEP_NAMES
from archgen.render.icons import LUCIDE, icon_file, icon_problem, is_logo


def catalog_problems(catalog: Catalog) -> list[str]:
    """Every way the catalog breaks its own rules, one sentence each."""
    problems = [
        *_step_color_problems(catalog),
        *_kind_problems(catalog),
        *_tech_problems(catalog),
        *_shared_icon_problems(catalog),
    ]
    for owner, ref in _icon_refs(catalog):
        problem = icon_problem(ref)
        if problem:
            problems.append(f"{owner}: icon {ref} {problem}")
    return problems


def _step_color_problems(catalog: Catalog) -> Iterator[str]:
    if set(catalog.step_colors) != set(STEP_NAMES):
        yield f"step_colors must name exactly the steps {', '.join(STEP_NAMES)}"
    for step, colour in catalog.step_colors.items():
        if not COLOUR.fullmatch(str(colour)):
            yield f"step_colors: {step} is not a #rrggbb colour"


def _kind_problems(catalog: Catalog) -> Iterator[str]:
    for kind in catalog.kinds.values():
        where = f"kind {kind.name}"
        if not KIND_NAME.fullmatch(kind.name):
            yield f"{where}: the name is not lower_case_with_underscores"
        yield from _text_problems(where, kind.label, kind.description)
        if kind.step not in STEP_NAMES:
            yield f"{where}: unknown step {kind.step!r}"
        if is_logo(kind.role_icon):
            yield f"{where}: the role icon {kind.role_icon} must be a {LUCIDE} icon, not a product's"
        for flavor, service in kind.services.items():
            if flavor not in CLOUD_FLAVORS:
                yield f"{where}: services are for the cloud flavors {', '.join(CLOUD_FLAVORS)}, not {flavor!r}"
            yield from _text_problems(f"{where} ({flavor} service)", service.name)


def _tech_problems(catalog: Catalog) -> Iterator[str]:
    for tech in catalog.techs.values():
        where = f"tech {tech.name}"
        if not TECH_NAME.fullmatch(tech.name):
            yield f"{where}: the name is not lower-case-with-dashes"
        yield from _text_problems(where, tech.label)


def _text_problems(where: str, label: str, description: str | None = None) -> Iterator[str]:
    if not isinstance(label, str) or not label.strip() or "\n" in label:
        yield f"{where}: the label must be one line of text"
    if description is None:
        return
    if not isinstance(description, str) or "\n" in description or not description.endswith("."):
        yield f"{where}: the description must be one line ending with a period"


def _shared_icon_problems(catalog: Catalog) -> Iterator[str]:
    """A reader tells kinds apart by their icons, and a role apart from a product."""
    for flavor in FLAVORS:
        seen: dict[str, str] = {}
        for kind in catalog.kinds.values():
            picture = _picture(kind.icon(flavor))
            if picture in seen:
                yield f"kind {kind.name} ({flavor}): shares its icon with kind {seen[picture]}"
            seen.setdefault(picture, kind.name)
    roles: dict[str, str] = {}
    for kind in catalog.kinds.values():
        roles.setdefault(_picture(kind.role_icon), kind.name)
    for tech in catalog.techs.values():
        if _picture(tech.icon) in roles:
            yield f"tech {tech.name}: shares its icon with kind {roles[_picture(tech.icon)]}"


def _picture(ref: str) -> str:
    """What a reference draws: diagrams classes may alias one PNG."""
    if ":" in ref:
        return ref
    try:
        return str(icon_file(ref))
    except (ImportError, AttributeError, ValueError):
        return ref


def _icon_refs(catalog: Catalog) -> Iterator[tuple[str, str]]:
    for kind in catalog.kinds.values():
        yield f"kind {kind.name}", kind.role_icon
        for flavor, service in kind.services.items():
            yield f"kind {kind.name} ({flavor})", service.icon
    for tech in catalog.techs.values():
        yield f"tech {tech.name}", tech.icon
