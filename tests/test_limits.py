"""Every limit of the format: a blueprint just at it loads, one just over it is refused with an
error that names the limit at a file, line and column (exit 1, no traceback); and checking
the shapes that once cost cubic time now costs about one step per group.

The limits are data (`archgen.format.LIMITS`); each test builds its blueprint from the
limit's own value, so a changed limit is tested as it is.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from archgen.cli import EXIT_INVALID, EXIT_OK, main
from archgen.diagnostics import Mark
from archgen.errors import BlueprintError
from archgen.format import (
    COMPONENTS,
    EXTENDS_FILES,
    FILE_BYTES,
    FLOWS,
    FOCUS_ENTRIES,
    GROUP_DEPTH,
    GROUPS,
    HINTED_ERRORS,
    LABEL_CHARS,
    NAME_BYTES,
    TEXT_CHARS,
    TOTAL_CHARS,
    YAML_DEPTH,
    YAML_VALUES,
    Limit,
)
from archgen.model import Group
from archgen.parse.load import load
from archgen.parse.validate.nesting import nesting_depths, parent_cycles

# The benchmark's hostile shapes (bench/hostile.py), grown here to each limit and past it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import hostile

HEAD = "archgen: 1\ntitle: T\n"
Placed = tuple[str, int, int, str]


def write(folder: Path, text: str, name: str = "bp.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, list[Placed]]:
    """`archgen validate`'s exit code and its `file:line:col: error:` lines as places; any
    other line on stderr (a traceback above all) fails the test."""
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    placed = []
    for line in err.splitlines():
        if ": warning: " in line:
            continue
        where, _, message = line.partition(": error: ")
        assert message, f"not a placed error: {line!r}"
        file, row, col = where.rsplit(":", 2)
        placed.append((Path(file).name, int(row), int(col), message))
    return code, placed


def assert_within(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    code, placed = errors_of(capsys, path)
    assert (code, placed) == (EXIT_OK, [])


def assert_over(
    capsys: pytest.CaptureFixture[str], path: Path, limit: Limit, line: int, col: int
) -> None:
    """Refused, at `line:col`, by an error that gives the limit's value."""
    code, placed = errors_of(capsys, path)
    assert code == EXIT_INVALID
    assert any(
        (file, row, column) == (path.name, line, col) and f"over the limit: {limit}" in message
        for file, row, column, message in placed
    ), placed


def components(count: int, extra: str = "") -> str:
    return "components:\n" + "".join(f"  c{i}: {{kind: client{extra}}}\n" for i in range(count))


# --- sizes of files ------------------------------------------------------------------


def padded(size: int) -> str:
    """A valid blueprint of exactly `size` bytes: a long comment fills it up."""
    body = HEAD + components(1)
    return body + "#" + "x" * (size - len(body) - 2) + "\n"


def test_a_file_at_the_size_limit_loads(tmp_path, capsys) -> None:
    path = write(tmp_path, padded(FILE_BYTES.value))
    assert path.stat().st_size == FILE_BYTES.value
    assert_within(capsys, path)


def test_a_file_one_byte_over_the_size_limit_is_refused(tmp_path, capsys) -> None:
    path = write(tmp_path, padded(FILE_BYTES.value + 1))
    assert_over(capsys, path, FILE_BYTES, 1, 1)


def extends_chain(folder: Path, files: int) -> Path:
    """`files` files, each extending the next; the last holds the component."""
    for i in range(1, files):
        base = f"extends: f{i + 1}.yaml\n" if i + 1 < files else components(1)
        write(folder, f"archgen: 1\nfragment: true\n{base}", f"f{i}.yaml")
    return write(folder, HEAD + "extends: f1.yaml\n" if files > 1 else HEAD + components(1))


def test_an_extends_chain_at_the_file_limit_loads(tmp_path, capsys) -> None:
    assert_within(capsys, extends_chain(tmp_path, EXTENDS_FILES.value))


def test_an_extends_chain_one_file_over_the_limit_is_refused_at_the_extends(
    tmp_path, capsys
) -> None:
    main_file = extends_chain(tmp_path, EXTENDS_FILES.value + 1)
    code, placed = errors_of(capsys, main_file)
    assert code == EXIT_INVALID
    # bp.yaml and f1 ... f49 are read; f49's `extends` would be one too many.
    last = f"f{EXTENDS_FILES.value - 1}.yaml"
    ((file, row, col, message),) = placed
    assert (file, row, col) == (last, 3, 10)
    assert message.startswith(f"`extends` goes over the limit: {EXTENDS_FILES}")


def test_a_diamond_of_extends_reading_a_file_many_times_stops_at_the_file_limit(
    tmp_path, capsys
) -> None:
    """Each level extends the next twice: 2**12 reads if nothing counted them."""
    levels = 12
    write(tmp_path, "archgen: 1\nfragment: true\n" + components(1), f"d{levels}.yaml")
    for i in range(levels):
        write(
            tmp_path,
            f"archgen: 1\nfragment: true\nextends: [d{i + 1}.yaml, ./d{i + 1}.yaml]\n",
            f"d{i}.yaml",
        )
    path = write(tmp_path, HEAD + "extends: d0.yaml\n")
    code, placed = errors_of(capsys, path)
    assert code == EXIT_INVALID
    ((*_, message),) = placed
    assert message.startswith(f"`extends` goes over the limit: {EXTENDS_FILES}")


def spread(folder: Path, total: int) -> Path:
    """A blueprint whose files hold `total` characters together, in four full-size bases."""
    names = [f"part{i}.yaml" for i in range(4)]
    main_text = HEAD + f"extends: [{', '.join(names)}]\n" + components(1)
    share, rest = divmod(total - len(main_text), len(names))
    for number, name in enumerate(names):
        body = "archgen: 1\nfragment: true\n"
        size = share + (rest if number == 0 else 0)
        write(folder, body + "#" + "x" * (size - len(body) - 2) + "\n", name)
    return write(folder, main_text)


def test_files_at_the_total_size_limit_load(tmp_path, capsys) -> None:
    path = spread(tmp_path, TOTAL_CHARS.value)
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) == TOTAL_CHARS.value
    assert_within(capsys, path)


def test_files_one_character_over_the_total_size_limit_are_refused(tmp_path, capsys) -> None:
    path = spread(tmp_path, TOTAL_CHARS.value + 1)
    code, placed = errors_of(capsys, path)
    assert code == EXIT_INVALID
    last_part = path.read_text().splitlines()[2].index("part3.yaml") + 1
    ((file, row, col, message),) = placed
    assert (file, row, col) == ("bp.yaml", 3, last_part)
    assert message.startswith(f"`extends` goes over the limit: {TOTAL_CHARS}")


@pytest.mark.parametrize("extra", [0, 1])
def test_a_path_name_at_the_limit_is_read_and_one_over_it_is_refused(
    tmp_path, capsys, extra: int
) -> None:
    name = "b" * (NAME_BYTES.value + extra - len(".yaml")) + ".yaml"
    if not extra:
        write(tmp_path, "archgen: 1\nfragment: true\n" + components(1), name)
    path = write(tmp_path, HEAD + f"extends: {name}\n")
    if extra:
        assert_over(capsys, path, NAME_BYTES, 3, 10)
    else:
        assert_within(capsys, path)


# --- YAML ----------------------------------------------------------------------------


def tags(count: int) -> str:
    """A blueprint of exactly `count` YAML values, most of them tags."""
    fixed = 13  # the top mapping, archgen, title, components, users, client, tags and its list
    return HEAD + components(1) + "tags: [" + ",".join(["t"] * (count - fixed)) + "]\n"


def test_a_file_of_as_many_yaml_values_as_the_limit_loads(tmp_path, capsys) -> None:
    assert_within(capsys, write(tmp_path, tags(YAML_VALUES.value)))


def test_a_file_of_one_yaml_value_over_the_limit_is_refused_where_it_stops(
    tmp_path, capsys
) -> None:
    text = tags(YAML_VALUES.value + 1)
    last_tag = len(text.splitlines()[4]) - 1  # the one before the closing ']'
    assert_over(capsys, write(tmp_path, text), YAML_VALUES, 5, last_tag)


def nested(depth: int) -> str:
    """Lists nested so that the deepest sits `depth` levels down (the top mapping is 1)."""
    inner = depth - 2  # the top mapping and `tags`'s own list
    return HEAD + components(1) + "tags: [" + "[" * inner + "t" + "]" * inner + "]\n"


def test_yaml_nested_as_deep_as_the_limit_is_read(tmp_path, capsys) -> None:
    code, placed = errors_of(capsys, write(tmp_path, nested(YAML_DEPTH.value)))
    assert code == EXIT_INVALID  # a tag cannot be a list; but the nesting was read
    assert placed and not any("over the limit" in message for *_, message in placed)


def test_yaml_nested_one_level_over_the_limit_is_refused(tmp_path, capsys) -> None:
    column = len("tags: ") + YAML_DEPTH.value - 1 + 1  # the bracket that opens one too many
    assert_over(capsys, write(tmp_path, nested(YAML_DEPTH.value + 1)), YAML_DEPTH, 5, column)


def test_yaml_nested_a_hundred_thousand_deep_is_refused_without_recursion(tmp_path, capsys) -> None:
    path = write(tmp_path, "archgen: 1\ntags: " + "[" * 100_000 + "]" * 100_000 + "\n")
    code, placed = errors_of(capsys, path)
    assert code == EXIT_INVALID
    assert any(f"over the limit: {YAML_DEPTH}" in message for *_, message in placed)


# --- text ----------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 1])
def test_text_at_the_length_limit_loads_and_one_character_more_is_refused(
    tmp_path, capsys, extra: int
) -> None:
    path = write(
        tmp_path, HEAD + "summary: " + "s" * (TEXT_CHARS.value + extra) + "\n" + components(1)
    )
    if extra:
        assert_over(capsys, path, TEXT_CHARS, 3, 10)
    else:
        assert_within(capsys, path)


LABELLED: dict[str, Callable[[str], tuple[str, int, int]]] = {
    # Where the label goes, and the line and column its error points at.
    "title": lambda label: (f"archgen: 1\ntitle: {label}\n" + components(1), 2, 8),
    "component": lambda label: (HEAD + components(1, f", label: {label}"), 4, 29),
    "group": lambda label: (
        HEAD + f"groups:\n  g: {{label: {label}}}\n" + components(1, ", group: g"),
        4,
        14,
    ),
    "flow": lambda label: (HEAD + components(2) + f"flows:\n  - c0 -> c1: {label}\n", 7, 15),
    "full flow": lambda label: (
        HEAD + components(2) + f"flows:\n  - {{from: c0, to: c1, label: {label}}}\n",
        7,
        31,
    ),
}


@pytest.mark.parametrize("where", sorted(LABELLED))
def test_a_label_at_the_limit_loads(tmp_path, capsys, where: str) -> None:
    text, _, _ = LABELLED[where]("l" * LABEL_CHARS.value)
    assert_within(capsys, write(tmp_path, text))


@pytest.mark.parametrize("where", sorted(LABELLED))
def test_a_label_one_character_over_the_limit_is_refused(tmp_path, capsys, where: str) -> None:
    text, line, col = LABELLED[where]("l" * (LABEL_CHARS.value + 1))
    assert_over(capsys, write(tmp_path, text), LABEL_CHARS, line, col)


# --- counts --------------------------------------------------------------------------


def test_components_at_the_limit_load_and_one_more_is_refused_at_it(tmp_path, capsys) -> None:
    assert_within(capsys, write(tmp_path, HEAD + components(COMPONENTS.value)))
    over = write(tmp_path, HEAD + components(COMPONENTS.value + 1), "over.yaml")
    assert_over(capsys, over, COMPONENTS, 4 + COMPONENTS.value, 3)


def line_of(text: str, start: str) -> int:
    """The number of the first line of `text` that starts with `start`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_groups_at_the_limit_load_and_one_more_is_refused_at_it(tmp_path, capsys) -> None:
    assert_within(capsys, write(tmp_path, hostile.group_ring(GROUPS.value, 0)))
    text = hostile.group_ring(GROUPS.value + 1, 0)
    over = write(tmp_path, text, "over.yaml")
    assert_over(capsys, over, GROUPS, line_of(text, f"  g{GROUPS.value}:"), 3)


def parent_column(text: str, line: int) -> int:
    return text.splitlines()[line - 1].index("parent: ") + len("parent: ") + 1


def test_groups_nested_as_deep_as_the_limit_load(tmp_path, capsys) -> None:
    assert_within(capsys, write(tmp_path, hostile.one_chain(GROUP_DEPTH.value)))
    assert_within(capsys, write(tmp_path, hostile.deep_chains(GROUPS.value)))


def test_groups_nested_one_level_over_the_limit_are_refused_at_the_deepest(
    tmp_path, capsys
) -> None:
    text = hostile.one_chain(GROUP_DEPTH.value + 1)
    line = line_of(text, f"  g{GROUP_DEPTH.value}:")  # g0 is level 1
    assert_over(capsys, write(tmp_path, text), GROUP_DEPTH, line, parent_column(text, line))


def test_a_chain_of_1200_nested_groups_is_refused_by_the_command_line_without_recursion(
    tmp_path,
) -> None:
    """The fuzzer's chain, as a user runs it: once a RecursionError when rendered."""
    text = hostile.one_chain(1_200)
    path = write(tmp_path, text)
    result = subprocess.run(
        [sys.executable, "-m", "archgen", "render", str(path), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == EXIT_INVALID
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    place = f"{path}:{line_of(text, f'  g{GROUPS.value}:')}:3"
    assert f"{place}: error: 1,200 groups, over the limit" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_ring_of_group_flows_at_the_limits_loads(tmp_path, capsys) -> None:
    per_group = FLOWS.value // GROUPS.value
    assert_within(capsys, write(tmp_path, hostile.group_ring(GROUPS.value, per_group)))


def test_one_flow_over_the_limit_is_refused_at_it(tmp_path, capsys) -> None:
    per_group = FLOWS.value // GROUPS.value
    text = hostile.group_ring(GROUPS.value, per_group) + f"  - g0 -> g{per_group + 1}\n"
    last = len(text.splitlines())
    assert_over(capsys, write(tmp_path, text), FLOWS, last, 5)


def test_the_fuzzers_ring_of_5000_groups_is_refused(tmp_path, capsys) -> None:
    """With four members a group it is too big to read on: the YAML values run out first."""
    code, placed = errors_of(capsys, write(tmp_path, hostile.group_ring(5_000, 1)))
    assert code == EXIT_INVALID
    ((_, _, _, message),) = placed
    assert message.startswith(f"the file goes over the limit: {YAML_VALUES}")


def test_focus_at_the_limit_loads_its_repeats_warned_and_dropped(tmp_path) -> None:
    text = hostile.repeated_focus(FOCUS_ENTRIES.value)
    blueprint = load(write(tmp_path, text))
    assert blueprint.step("serving").focus == tuple(blueprint.components)
    repeats = [w for w in blueprint.warnings if "is already in this `focus`" in w.message]
    assert len(repeats) == FOCUS_ENTRIES.value - hostile.FOCUSED_GROUPS
    line = line_of(text, "  focus:")
    assert repeats[0].mark.line == repeats[-1].mark.line == line
    assert f"(line {line})" in repeats[0].message


def test_one_focus_entry_over_the_limit_is_refused_at_it(tmp_path, capsys) -> None:
    text = hostile.repeated_focus(FOCUS_ENTRIES.value + 1)
    line = line_of(text, "  focus:")
    column = text.splitlines()[line - 1].rindex("g") + 1
    assert_over(capsys, write(tmp_path, text), FOCUS_ENTRIES, line, column)


def test_errors_past_the_suggestion_limit_get_no_suggestion(tmp_path) -> None:
    """Each suggestion compares a name with every known one: thousands of wrong names
    would cost minutes, so only the first errors get one."""
    wrong = HINTED_ERRORS.value + 20
    text = HEAD + components(10) + "flows:\n" + "".join(f"  - c0 -> c{i}x\n" for i in range(wrong))
    with pytest.raises(BlueprintError) as raised:
        load(write(tmp_path, text))
    messages = [str(d) for d in raised.value.diagnostics]
    suggested = [m for m in messages if "did you mean" in m]
    assert len(messages) == wrong
    assert len(suggested) == HINTED_ERRORS.value


# --- cost: one step per group, counted ----------------------------------------------


class CountingGroups(dict[str, Group]):
    """Groups that count every look-up: the work a walk over them does."""

    lookups = 0

    def __getitem__(self, key: str) -> Group:
        self.lookups += 1
        return super().__getitem__(key)


def chained_groups(count: int, cycle: bool = False) -> CountingGroups:
    groups = CountingGroups(
        {f"g{i}": Group(f"g{i}", "G", f"g{i - 1}" if i else None) for i in range(count)}
    )
    if cycle:
        groups["g0"] = Group("g0", "G", f"g{count - 1}")
    groups.lookups = 0
    return groups


@pytest.mark.parametrize("count", [1_000, 3_000])
def test_finding_cycles_and_depths_looks_each_group_up_a_few_times(count: int) -> None:
    """A chain of 3,000 nested groups once took 43 s: every group walked the whole chain
    above it, checking each step against a list. Now each group is looked up about once."""
    groups = chained_groups(count)
    assert parent_cycles(groups) == []
    assert nesting_depths(groups)[f"g{count - 1}"] == count
    assert groups.lookups <= 2 * count

    ring_of_groups = chained_groups(count, cycle=True)
    (cycle,) = parent_cycles(ring_of_groups)
    assert cycle[0] == "g0" and len(cycle) == count
    assert ring_of_groups.lookups <= count


def test_a_cycle_is_reported_from_its_group_written_first(tmp_path) -> None:
    text = HEAD + "groups:\n  t: {label: T, parent: b}\n  a: {label: A, parent: b}\n"
    text += "  b: {label: B, parent: a}\n" + components(1, ", group: t")
    with pytest.raises(BlueprintError) as raised:
        load(write(tmp_path, text))
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.mark == Mark(tmp_path / "bp.yaml", 5, 25)
    assert diagnostic.message == "groups form a cycle: a -> b -> a"


# --- composition: removals in one sweep ----------------------------------------------


def test_removing_a_chain_of_groups_moves_members_to_the_nearest_that_stays(tmp_path) -> None:
    base = (
        "archgen: 1\nfragment: true\ngroups:\n  a: A\n  b: {label: B, parent: a}\n"
        "  c: {label: C, parent: b}\n  d: {label: D, parent: c}\n"
        "components:\n  x: {kind: client, group: d}\n  y: {kind: client, group: c}\n"
        "  z: {kind: client, group: b}\nflows:\n  - x -> y\n  - y -> z\n"
    )
    write(tmp_path, base, "base.yaml")
    child = HEAD + "extends: base.yaml\ngroups:\n  c: null\n  b: null\n"
    blueprint = load(write(tmp_path, child))
    assert set(blueprint.groups) == {"a", "d"}
    assert blueprint.groups["d"].parent == "a"
    assert {c.id: c.group for c in blueprint.components.values()} == {
        "x": "d",
        "y": "a",
        "z": "a",
    }
    assert len(blueprint.flows) == 2


def test_removing_a_component_drops_its_flows_and_focus_entries(tmp_path) -> None:
    base = (
        "archgen: 1\nfragment: true\ncomponents:\n  a: client\n  b: client\n  c: client\n"
        "flows:\n  - a -> b -> c\nserving:\n  focus: [a, b, c]\n"
    )
    write(tmp_path, base, "base.yaml")
    child = HEAD + "extends: base.yaml\ncomponents:\n  a: null\n  c: null\n"
    blueprint = load(write(tmp_path, child))
    assert blueprint.flows == ()
    assert blueprint.step("serving").focus == ("b",)
