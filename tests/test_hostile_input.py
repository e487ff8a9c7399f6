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
    """A one-component blueprint that extends `extends` or draws `icon`; both quoted as YAML
    double-quoted text, so a test can write an escape."""
    base = f"extends: {extends}\n" if extends else ""
    user = f"{{kind: client, icon: {icon}}}" if icon else "client"
    path = folder / name
    path.write_text(BLUEPRINT.format(extends=base, user=user), encoding="utf-8")
    return path


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    return code, capsys.readouterr().err


def assert_placed(err: str, file: Path | str, line: int, col: int, text: str) -> None:
    """One error at `file:line:col` says `text`, and nothing looks like a traceback."""
    assert "Traceback" not in err
    places = [
        (m["file"], int(m["line"]), int(m["col"]), err[m.end() :].split("\n", 1)[0])
        for m in PLACED.finditer(err)
    ]
    assert any(
        (f, li, co) == (str(file), line, col) and text in message for f, li, co, message in places
    ), err


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    """Two symbolic links that point at each other."""
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    return tmp_path / "a.yaml"


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sock.yaml"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


# --- extends -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("missing.yaml", "which does not exist"),
        ("sub", "which is a folder, not a file"),
        ("pipe.yaml", "which is a named pipe (FIFO), not a file"),
        ("a.yaml", "which is a loop of symbolic links"),
        ("zero.yaml", "which is a device, not a file"),
        ("sock.yaml", "which is a socket, not a file"),
        ("x" * 300 + ".yaml", "which has a name of 305 bytes, over the limit: at most 255 bytes"),
        ("bp.yaml/x.yaml", "which does not exist (a part of its path is a file, not a folder)"),
    ],
)
def test_extends_of_each_unusable_kind_is_an_error_at_its_place(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fifo: Path,
    loop: Path,
    unix_socket: Path,
    target: str,
    reason: str,
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    path = blueprint(tmp_path, extends=target)
    code, err = validate(capsys, str(path), "--root", "/")
    assert code == EXIT_INVALID
    assert_placed(err, path, 3, 10, f"`extends` names '{target}', {reason}")


def test_dev_zero_named_by_extends_is_refused_without_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = blueprint(tmp_path, extends="/dev/zero")
    code, err = validate(capsys, str(path), "--root", "/")
    assert code == EXIT_INVALID
    assert_placed(err, path, 3, 10, "`extends` names '/dev/zero', which is a device, not a file")


def test_a_nul_byte_in_extends_is_named_as_a_control_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = blueprint(tmp_path, extends='"lib\\0.yaml"')
    code, err = validate(capsys, str(path))
    assert code == EXIT_INVALID
    assert_placed(err, path, 3, 10, "the control character U+0000 is not allowed")


# --- icon ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("icon", "reason"),
    [
        ("missing.png", "does not exist"),
        ("folder.png", "is a folder, not a file"),
        ("pipe.png", "is a named pipe (FIFO), not a file"),
        ("loop.png", "is a loop of symbolic links"),
        ("zero.png", "is a device, not a file"),
        ("x" * 300 + ".png", "has a name of 304 bytes, over the limit: at most 255 bytes"),
        ('"logo\\0.png"', "the control character U+0000 is not allowed"),
    ],
)
def test_icon_of_each_unusable_kind_is_an_error_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], icon: str, reason: str
) -> None:
    (tmp_path / "folder.png").mkdir()
    os.mkfifo(tmp_path / "pipe.png")
    (tmp_path / "loop.png").symlink_to(tmp_path / "loop2.png")
    (tmp_path / "loop2.png").symlink_to(tmp_path / "loop.png")
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    path = blueprint(tmp_path, icon=icon)
    code, err = validate(capsys, str(path), "--root", "/")
    assert code == EXIT_INVALID
    assert_placed(err, path, 4, 31, reason)


def test_an_icon_link_leading_out_of_the_root_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    path = blueprint(tmp_path, icon="zero.png")
    code, err = validate(capsys, str(path))
    assert code == EXIT_INVALID
    assert_placed(err, path, 4, 31, "icon 'zero.png' is outside the blueprint root")


# --- the blueprint itself ------------------------------------------------------------


def test_a_fifo_on_the_command_line_is_refused_without_waiting_for_a_writer(
    capsys: pytest.CaptureFixture[str], fifo: Path
) -> None:
    code, err = validate(capsys, str(fifo))
    assert code == EXIT_INVALID
    assert_placed(err, fifo, 1, 1, "cannot read the file: it is a named pipe (FIFO), not a file")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("folder", "it is a folder, not a file"),
        ("a.yaml", "it is a loop of symbolic links"),
        ("sock.yaml", "it is a socket, not a file"),
        ("missing.yaml", "it does not exist"),
        ("x" * 300 + ".yaml", "it has a name of 305 bytes, over the limit"),
    ],
)
def test_an_unusable_file_on_the_command_line_is_an_invalid_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    loop: Path,
    unix_socket: Path,
    name: str,
    reason: str,
) -> None:
    (tmp_path / "folder").mkdir()
    code, err = validate(capsys, str(tmp_path / name))
    assert code == EXIT_INVALID
    assert_placed(err, tmp_path / name, 1, 1, f"cannot read the file: {reason}")


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
    code, err = validate(capsys, str(path))
    assert code == EXIT_INVALID
    assert_placed(err, path, 2, 9, "the control character U+0001 is not allowed")


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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fifo: Path
) -> None:
    """The type is checked again on the open file: a swap after the check opens without
    blocking (O_NONBLOCK) and is refused."""
    monkeypatch.setattr("archgen.files.input_file", lambda path, root=None: path)
    with pytest.raises(UnusableInput, match="named pipe"):
        read_input(fifo, 100)


def test_input_file_resolves_links_inside_the_root(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("x")
    (tmp_path / "link.yaml").symlink_to(real)
    assert input_file(tmp_path / "link.yaml", tmp_path) == real.resolve()
