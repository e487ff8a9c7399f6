"""Hostile paths: whatever a blueprint (or the command line) names, archgen says what is
wrong at a file, line and column and exits with 1, never with a traceback, a hang or an
endless read.

Every path goes through one check (`archgen.files.input_file`) before it is opened; these
tests feed it each kind of path the fuzzer found, through `extends`, `icon` and the command
line.
"""

from __future__ import annotations

import os
import re
import resource
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from archgen.cli import EXIT_INVALID, main
from archgen.errors import BlueprintError
from archgen.files import UnusableInput, input_file, read_input
from archgen.parse.load import load

BLUEPRINT = "archgen: 1\ntitle: T\n{extends}components:\n  users: {user}\n"
# file:line:col: error: — the form every message must take.
PLACED = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): error: ", re.MULTILINE)


def blueprint(folder: Path, *, extends: str = "", icon: str = "", name: str = "bp.yaml") -> Path:
    """A one-component blueprint that extends `extends` or draws `icon`, each written into
    the YAML as given (a test quotes it itself to write an escape such as "\\0")."""
    base = f"extends: {extends}\n" if extends else ""
    user = f"{{kind: client, icon: {icon}}}" if icon else "client"
    path = folder / name
    path.write_text(BLUEPRINT.format(extends=base, user=user), encoding="utf-8")
    return path


def refused(
    capsys: pytest.CaptureFixture[str], path: Path, line: int, col: int, text: str, *args: str
) -> None:
    """`archgen validate path *args` exits 1 with an error at `path:line:col` that says
    `text`, and nothing looks like a traceback."""
    code = main(["validate", str(path), *args])
    err = capsys.readouterr().err
    assert code == EXIT_INVALID
    assert "Traceback" not in err
    places = [
        (m["file"], int(m["line"]), int(m["col"]), err[m.end() :].split("\n", 1)[0])
        for m in PLACED.finditer(err)
    ]
    assert any(
        (f, li, co) == (str(path), line, col) and text in message for f, li, co, message in places
    ), err


@pytest.fixture
def odd_files(tmp_path: Path) -> Iterator[Path]:
    """In `tmp_path`, for each of .yaml and .png: a folder, a FIFO, two links pointing at
    each other, a link to /dev/zero and a socket, named `folder`, `pipe`, `loop`, `zero`
    and `sock` with that suffix."""
    servers = []
    for suffix in (".yaml", ".png"):
        (tmp_path / f"folder{suffix}").mkdir()
        os.mkfifo(tmp_path / f"pipe{suffix}")
        (tmp_path / f"loop{suffix}").symlink_to(tmp_path / f"loop2{suffix}")
        (tmp_path / f"loop2{suffix}").symlink_to(tmp_path / f"loop{suffix}")
        (tmp_path / f"zero{suffix}").symlink_to("/dev/zero")
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(tmp_path / f"sock{suffix}"))
        servers.append(server)
    yield tmp_path
    for server in servers:
        server.close()


UNUSABLE: list[tuple[str, str]] = [
    ("missing", "does not exist"),
    ("folder", "is a folder, not a file"),
    ("pipe", "is a named pipe (FIFO), not a file"),
    ("loop", "is a loop of symbolic links"),
    ("zero", "is a device, not a file"),
    ("sock", "is a socket, not a file"),
    ("x" * 252, "has a name of {size} bytes, over the limit: at most 255 bytes in one name"),
]


# --- extends and icon ----------------------------------------------------------------

# Where each key's path goes: its suffix, the line and column of its value, its message.
NAMED_BY: dict[str, tuple[str, int, int, str]] = {
    "extends": (".yaml", 3, 10, "`extends` names '{path}', which {reason}"),
    "icon": (".png", 4, 31, "icon '{path}' {reason}"),
}


@pytest.mark.parametrize("key", sorted(NAMED_BY))
@pytest.mark.parametrize(("stem", "reason"), UNUSABLE)
def test_a_path_of_each_unusable_kind_is_an_error_at_its_place(
    odd_files: Path, capsys: pytest.CaptureFixture[str], key: str, stem: str, reason: str
) -> None:
    suffix, line, col, message = NAMED_BY[key]
    target = stem + suffix
    path = blueprint(odd_files, **{key: target})
    text = message.format(path=target, reason=reason.format(size=len(target)))
    refused(capsys, path, line, col, text, "--root", "/")


@pytest.mark.parametrize("key", sorted(NAMED_BY))
def test_a_nul_byte_in_a_path_is_named_as_a_control_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    suffix, line, col, _ = NAMED_BY[key]
    path = blueprint(tmp_path, **{key: f'"lib\\0{suffix}"'})
    refused(capsys, path, line, col, "the control character U+0000 is not allowed")


def test_extends_through_a_file_as_if_it_were_a_folder_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = blueprint(tmp_path, extends="bp.yaml/x.yaml")
    reason = "does not exist (a part of its path is a file, not a folder)"
    refused(capsys, path, 3, 10, f"`extends` names 'bp.yaml/x.yaml', which {reason}")


def test_dev_zero_named_by_extends_is_refused_without_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = blueprint(tmp_path, extends="/dev/zero")
    reason = "`extends` names '/dev/zero', which is a device, not a file"
    refused(capsys, path, 3, 10, reason, "--root", "/")


def test_an_icon_link_leading_out_of_the_root_is_refused(
    odd_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = blueprint(odd_files, icon="zero.png")
    refused(capsys, path, 4, 31, "icon 'zero.png' is outside the blueprint root")


# --- the blueprint itself ------------------------------------------------------------


@pytest.mark.parametrize(("stem", "reason"), UNUSABLE)
def test_an_unusable_file_on_the_command_line_is_an_invalid_input(
    odd_files: Path, capsys: pytest.CaptureFixture[str], stem: str, reason: str
) -> None:
    """A FIFO among them: refused without waiting for a writer."""
    path = odd_files / f"{stem}.yaml"
    refused(capsys, path, 1, 1, f"cannot read the file: it {reason.format(size=len(path.name))}")


def _one_gigabyte_of_memory() -> None:
    """A child that reads /dev/zero to the end dies here at 1 GB, not with the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_validate_dev_zero_exits_1_at_once_reading_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "archgen", "validate", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_one_gigabyte_of_memory,
        check=False,
    )
    assert result.returncode == EXIT_INVALID
    assert "Traceback" not in result.stderr
    assert (
        result.stderr == "/dev/zero:1:1: error: cannot read the file: it is a device, not a file\n"
    )


def test_a_nul_byte_in_a_path_given_to_the_api_is_a_blueprint_error(tmp_path: Path) -> None:
    with pytest.raises(BlueprintError) as raised:
        load(tmp_path / "a\0b.yaml")
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.mark.line, diagnostic.mark.col) == (1, 1)
    assert diagnostic.message == "cannot read the file: it holds a NUL character (U+0000)"


def test_a_literal_control_character_in_the_file_is_named_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bp.yaml"
    path.write_bytes(b"archgen: 1\ntitle: T\x01x\ncomponents:\n  users: client\n")
    refused(capsys, path, 2, 9, "the control character U+0001 is not allowed")


def test_windows_line_ends_are_no_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "bp.yaml"
    path.write_bytes(b"archgen: 1\r\ntitle: T\r\ncomponents:\r\n  users: client\r\n")
    assert load(path).title == "T"


# --- the one check, directly ---------------------------------------------------------


def test_read_input_reads_one_byte_past_the_limit_and_no_more(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 5000)
    assert len(read_input(path, 100)) == 101
    assert read_input(path, 10_000) == b"x" * 5000


def test_read_input_refuses_a_fifo_that_replaced_the_checked_file(
    odd_files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The type is checked again on the open file: a swap after the check opens without
    blocking (O_NONBLOCK) and is refused."""
    monkeypatch.setattr("archgen.files.input_file", lambda path, root=None: path)
    with pytest.raises(UnusableInput, match="named pipe"):
        read_input(odd_files / "pipe.yaml", 100)


def test_input_file_resolves_links_inside_the_root(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("x")
    (tmp_path / "link.yaml").symlink_to(real)
    assert input_file(tmp_path / "link.yaml", tmp_path) == real.resolve()
