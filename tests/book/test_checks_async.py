"""Chapter 5's checks (oskit/book/checks_async.py): right answers pass, wrong ones fail with a reason, bad input never raises."""

import pytest

import oskit
from oskit.book.checks_async import check_changed_buffer, check_request_uid, check_second_return


@pytest.fixture(scope="module")
def k():
    return oskit.boot(programs=False)


def test_changed_buffer(k):
    """The file holds the bytes the buffer had when the daemon ran: "melon"."""
    assert check_changed_buffer("melon", k).ok
    wrong = check_changed_buffer("apple", k)
    assert not wrong.ok and "melon" in wrong.summary
    assert not check_changed_buffer(None, k).ok
    assert "expected one of" in check_changed_buffer(3, k).summary


def test_request_uid(k):
    """The request runs as the euid it was submitted with (0), not the one setuid gave later."""
    assert check_request_uid(0, k).ok
    wrong = check_request_uid(1000, k)
    assert not wrong.ok and "euid 0" in wrong.summary
    assert "expected an int" in check_request_uid("root", k).summary


def test_second_return(k):
    """A second aio_return is EINVAL, as on FreeBSD."""
    assert check_second_return("EINVAL", k).ok
    assert check_second_return("einval", k).ok
    assert not check_second_return("EBADF", k).ok
    assert not check_second_return(None, k).ok
    assert "expected one of" in check_second_return(22, k).summary
