"""Fixtures of the widget tests: the bare-metal programs of widget_programs.py, built once."""

import pytest

from oskit.toolchain import build
from widget_programs import ECHO, HELLO, PAGING


@pytest.fixture(scope="session")
def hello_elf():
    """A bare program that prints one line and exits 0."""
    return build({"hello.c": HELLO}, mode="bare")


@pytest.fixture(scope="session")
def echo_elf():
    """A bare program that echoes UART input lines as "got: <line>" until "quit"."""
    return build({"echo.c": ECHO}, mode="bare")


@pytest.fixture(scope="session")
def paging_elf():
    """A bare program that stores to three Sv39-mapped pages from S-mode, then idles in WFI."""
    return build({"paging.c": PAGING}, mode="bare")


@pytest.fixture(scope="session")
def fork_elf():
    """A user program: failing open, fork, child exits 3, parent waits and prints."""
    from widget_programs import FORK
    return build({"fork.c": FORK}, mode="user")


@pytest.fixture(scope="session")
def reader_elf():
    """A user program that answers each console line with "you typed: <line>" until "quit"."""
    from widget_programs import READER
    return build({"reader.c": READER}, mode="user")
