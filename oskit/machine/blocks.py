"""The block translator: a run of instructions turned into one Python function (the fast path).

Hart.run() (cpu.py) executes translated blocks when it can: the bodies of
the very same instruction functions of decode.py's table, with the register
numbers and immediates made constants, strung together in one function per
basic block, so that Python runs them without decoding or dispatching.
cpu.py's docstring says how blocks are found, checked and left (side exits,
traps at an exact instruction, loops within a budget); this module builds
them:

    Block          one translated run: its function, its source, the instruction bytes it came from
    make_block()   the function for a list of decoded instructions
    block_globals() the names a block's code sees (decode.py's helpers, traps, RAM views)
"""

from __future__ import annotations

import ast
import inspect
import textwrap

from oskit.machine.trap import (
    LoadAddressMisaligned,
    StoreAddressMisaligned,
)

DATA_ACCESS_KINDS = frozenset({"load", "store", "amo"})
_SHIFT = {1: 0, 2: 1, 4: 2, 8: 3}  # log2 of an access size: the index of an aligned access in a RAM view


# -- blocks --------------------------------------------------------------------------------


class Block:
    """A translated run of instructions: fn(h, x, P, R, W, L) -> next pc, where P is the block's pc.

    R and W are the hart's read and write page caches; L is the instruction
    budget (at least n). On its way out a block sets h.partial to the number of
    instructions it ran.
    """

    __slots__ = ("n", "nbytes", "code", "fn", "source", "line_to_index", "loop", "round", "accesses")

    def __init__(self, n, code, fn, source, line_to_index, back=None, accesses=(0,)):
        self.loop = back is not None  # fn loops back to P by itself, within the budget L (the argument)
        self.round = 0 if back is None else back + 1  # instructions per round of the loop
        self.accesses = accesses  # accesses[k]: loads, stores and AMOs among the first k instructions
        self.n = n
        self.nbytes = len(code)
        self.code = code  # the instruction bytes it was made from
        self.fn = fn
        self.source = source
        self.line_to_index = line_to_index

    def data_accesses(self, ran: int, rounds: int = 0) -> int:
        """The data accesses of `ran` instructions of this block, `rounds` of its loop among them."""
        done = rounds * self.round
        return rounds * self.accesses[self.round] + self.accesses[ran - done]


_FIELDS = ("rd", "rs1", "rs2", "imm", "pc")


class _Placeholders(ast.NodeTransformer):
    """Mark the fields for str.format: rd -> {rd}, ..., pc -> {pc}; the write `x[rd] = ...` -> {rdt}."""

    def visit_Name(self, node):
        if node.id in _FIELDS:
            return ast.copy_location(ast.Name(f"__{node.id}__", node.ctx), node)
        return node

    def visit_Subscript(self, node):
        if (isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name) and node.value.id == "x"
                and isinstance(node.slice, ast.Name) and node.slice.id == "rd"):  # fmt: skip
            return ast.copy_location(ast.Name("__rdt__", ast.Store()), node)
        return self.generic_visit(node)


class _Exit(ast.NodeTransformer):
    """`return target` inside a block: say how many instructions ran; the back edge may go round again.

    mode "": an ordinary block. "in loop": a looping block, not its back
    edge: also say how many rounds ran. "back edge": the branch of a looping
    block that goes back to P.
    """

    def __init__(self, mode: str):
        self.mode = mode

    def visit_Return(self, node):
        src = "t_ = 0\n"
        if self.mode == "back edge":
            # Round again only when a whole further pass (at most n instructions) fits in the budget L.
            src += "if t_ == P and c + __k1__ + __n__ <= L:\n    c += __k1__\n    continue\n"
        src += "h.partial = c + __k1__\n"
        if self.mode:
            src += "h.rounds = c // __round__\n"
        src += "return t_"
        template = ast.parse(src).body
        template[0].value = node.value
        return template


_templates: dict[tuple[str, str], str] = {}


def _template(op, mode: str) -> str:
    """The body of op's semantics function as a str.format template (made once per op and _Exit mode)."""
    key = (op.name, mode)
    if key not in _templates:
        stmts = []
        for stmt in ast.parse(textwrap.dedent(inspect.getsource(op.fn))).body[0].body:
            stmt = _Exit(mode).visit(_Placeholders().visit(stmt))
            stmts.extend(stmt if isinstance(stmt, list) else [stmt])
        text = ast.unparse(ast.fix_missing_locations(ast.Module(stmts, [])))
        text = text.replace("{", "{{").replace("}", "}}")
        for name in (*_FIELDS, "rdt", "n", "k1", "round"):
            text = text.replace(f"__{name}__", "{" + name + "}")
        _templates[key] = text
    return _templates[key]


def _specialized(dec, k: int, n: int, back: int | None = None) -> list[str]:
    """The statements of dec's semantics with the fields as constants and pc as P + 4k.

    A write to x0 becomes a write to `_` (x0 stays zero). A return (a taken
    branch or a jump) records k + 1 instructions (plus earlier rounds, c) in
    h.partial. back: in a looping block, the index of its back edge; that
    instruction goes round again when it targets P, and every way out also
    records the rounds completed in h.rounds.
    """
    mode = "" if back is None else "back edge" if k == back else "in loop"
    text = _template(dec.op, mode).format(
        rd=dec.rd, rs1=dec.rs1, rs2=dec.rs2, imm=f"({dec.imm})" if dec.imm < 0 else dec.imm,
        pc=f"(P + {4 * k})" if k else "P", rdt=f"x[{dec.rd}]" if dec.rd else "_", n=n, k1=k + 1,
        round=0 if back is None else back + 1,
    )  # fmt: skip
    return text.splitlines()


def block_globals(views) -> dict:
    """The global names blocks see: decode.py's helpers, the traps they raise, the RAM views V<size><s|u>."""
    from oskit.machine import decode as decode_module

    ns = dict(vars(decode_module))
    ns.update(LoadAddressMisaligned=LoadAddressMisaligned, StoreAddressMisaligned=StoreAddressMisaligned)
    for (size, signed), view in views.items():
        ns[f"V{size}{'s' if signed else 'u'}"] = view
    return ns


def make_block(items, ns: dict, code: bytes) -> Block:
    """Build the Python function for a list of (word, Decoded) (see the module docstring).

    The function runs the instructions in order; a taken branch or a jump
    leaves it (a "side exit"), and every way out sets h.partial to the number
    of instructions that ran. When a branch or jal targets the block's own
    start (P), the first such one is the back edge: the body sits in a
    `while True` loop, goes round again as long as another whole pass fits in
    the budget L, and every way out also sets h.rounds to the rounds
    completed (each one back + 1 instructions), so that the TLB lookups
    of a run can be counted (Hart.count_lookups).
    """
    from oskit.machine.decode import disassemble

    n = len(items)
    back = next((k for k, (_, d) in enumerate(items) if d.op.fmt in ("B", "J") and d.imm == -4 * k), None)
    loop = back is not None
    rounds = f"; h.rounds = c // {back + 1}" if loop else ""
    lines = ["def block(h, x, P, R, W, L):", "    c = 0  # instructions run in earlier rounds"]
    indent0 = 1
    if loop:
        lines.append("    while True:")
        indent0 = 2
    line_to_index: dict[int, int] = {}

    def emit(k, text, indent=1):
        lines.append("    " * (indent + indent0 - 1) + text)
        line_to_index[len(lines)] = k

    for k, (word, dec) in enumerate(items):
        op = dec.op
        lines.append("    " * indent0 + f"# {k}: {disassemble(word)}")
        leave = f"if h.brk: h.partial = c + {k + 1}{rounds}; return P + {4 * (k + 1)}"
        if op.kind in ("load", "store"):
            # Fast: the page is in the cache and the access aligned -> straight into the RAM view.
            # Otherwise the table's own code (which translates, faults, reaches a device, or does
            # a misaligned access in pieces): an aligned access pays nothing for the rare cases.
            size, shift = op.size, _SHIFT[op.size]
            emit(k, f"a = (x[{dec.rs1}] + {dec.imm}) & M64")
            cache = "R" if op.kind == "load" else "W"
            emit(k, f"d = {cache}.get(a >> 12)")
            emit(k, f"if d is None or a & {size - 1}:")
            for text in _specialized(dec, k, n):
                emit(k, text, 2)
            emit(k, leave, 2)
            emit(k, "else:")
            view = f"V{size}{'s' if op.signed else 'u'}"
            if op.kind == "load":
                value = f"{view}[(a + d) >> {shift}]" + (" & M64" if op.signed else "")
                emit(k, f"{'x[%d]' % dec.rd if dec.rd else '_'} = {value}", 2)
            else:
                mask = {1: "0xFF", 2: "0xFFFF", 4: "M32", 8: "M64"}[size]
                emit(k, f"{view}[(a + d) >> {shift}] = x[{dec.rs2}] & {mask}", 2)
        elif op.kind == "amo":
            fname = "F_" + op.name.replace(".", "_")  # the table's function, shared by every block
            ns[fname] = op.fn
            emit(k, f"{fname}(h, x, {dec.rd}, {dec.rs1}, {dec.rs2}, {dec.imm}, P + {4 * k})")
            if dec.rd == 0:
                emit(k, "x[0] = 0")
            emit(k, leave)
        else:  # alu, branch, jump, fence: the body itself
            body = _specialized(dec, k, n, back)
            if op.kind == "alu" and dec.rd == 0:
                body = ["pass"]  # an ALU result for x0 has no effect at all
            for text in body:
                emit(k, text)
    if not (items and items[-1][1].op.kind == "jump"):  # a jump at the end always returned already
        lines.append("    " * indent0 + f"h.partial = c + {n}{rounds}")
        lines.append("    " * indent0 + f"return P + {4 * n}")
    source = "\n".join(lines)
    if not items:
        return Block(0, code, None, source, {})
    exec(compile(source, "<block>", "exec"), ns)
    accesses = [0]
    for _, dec in items:
        accesses.append(accesses[-1] + (dec.op.kind in DATA_ACCESS_KINDS))
    return Block(n, code, ns.pop("block"), source, line_to_index, back, tuple(accesses))

