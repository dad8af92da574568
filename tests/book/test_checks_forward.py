"""The check of the "Stubs as RPC" exercise (oskit/book/checks_forward.py) tells right from wrong, and why."""

import pytest

from oskit.book.checks_forward import check_readlink_annotation


@pytest.mark.parametrize("line", [
    "{ ssize_t readlink(_In_z_ const char *path, _Out_writes_bytes_(count) char *buf, size_t count); }",
    "ssize_t readlink(_In_z_ const char *path, _Out_writes_z_(count) char *buf, size_t count);",
    "{\n ssize_t readlink(\n  _In_z_ const char *path,\n  _Out_writes_(count) char *buf,\n  size_t count\n );\n}",
])
def test_right_annotations(line):
    """Any annotation that carries the path in and up to count bytes out is right."""
    v = check_readlink_annotation(line)
    assert v.ok, v


@pytest.mark.parametrize("line, reason", [
    ("{ ssize_t readlink(const char *path, char *buf, size_t count); }", "no annotation on path, buf"),
    ("{ ssize_t readlink(_In_z_ const char *path, _In_reads_bytes_(count) char *buf, size_t count); }",
     "buf would travel as in_bytes(count)"),
    ("{ ssize_t readlink(_In_z_ const char *path, _Out_writes_bytes_(len) char *buf, size_t count); }",
     "must name the argument that holds the size"),
    ("{ ssize_t readlink(_In_z_ const char *path, _Inout_ char *buf, size_t count); }", "cannot carry"),
    ("{ int readlink(_In_z_ const char *path, _Out_writes_bytes_(count) char *buf, size_t count); }",
     "returns ssize_t"),
    ("{ ssize_t readlinkat(int fd, _In_z_ const char *path, _Out_writes_bytes_(count) char *buf, size_t count); }",
     "not of readlink"),
    ("{ ssize_t readlink(_In_z_ const char *p, _Out_writes_bytes_(n) char *b, size_t n); }",
     "arguments are (path, buf, count)"),
    ("readlink(", "cannot read the line"),
])
def test_wrong_annotations_say_why(line, reason):
    """A wrong line gets a verdict naming what is wrong."""
    v = check_readlink_annotation(line)
    assert not v.ok
    assert reason in repr(v), repr(v)


@pytest.mark.parametrize("answer", [None, ..., "", 42])
def test_no_answer_is_a_verdict(answer):
    """No answer, or not a string: a verdict, never an exception."""
    assert not check_readlink_annotation(answer).ok
