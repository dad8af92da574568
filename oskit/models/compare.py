"""The records side by side: who saves what, where, in which order (HTML for the chapter).

    records("system call")      -> [TrapRecord RISC-V (machine), MIPS32, x86-64]
    grouped(record)             -> rows with runs of register saves/restores folded into one
    summary_html(recs)          -> per item (the pc, the cause, the user sp...): who saved it, where
    steps_html(recs)            -> the grouped steps of each ISA in columns, in order

The HTML is plain tables (no script), so it shows in JupyterLab, in a static
render of the notebook and in the browser test alike.
"""

from __future__ import annotations

from html import escape

from oskit.models import mips, riscv, x86_64
from oskit.models.record import HARDWARE, ITEMS, TrapRecord

EXAMPLES = ("system call", "page fault")
_MODELS = {"system call": (mips.syscall_example, x86_64.syscall_example),
           "page fault": (mips.page_fault_example, x86_64.page_fault_example)}


def records(example: str, real: dict[str, TrapRecord] | None = None) -> list[TrapRecord]:
    """RISC-V (from the machine: pass ``riscv.record_riscv()`` to reuse one run), MIPS32, x86-64."""
    if example not in EXAMPLES:
        raise ValueError(f"records: expected one of {EXAMPLES}, found {example!r}")
    real = riscv.record_riscv() if real is None else real
    return [real[example]] + [make()[1] for make in _MODELS[example]]


def grouped(record: TrapRecord) -> list[tuple[str, str, str, str]]:
    """(actor, action, what, where) rows; a run of general-register saves or restores is one row."""
    rows: list[tuple[str, str, str, str]] = []
    run: list = []

    def flush():
        if run:
            save = run[0].action == "save"
            names = [s.what if save else s.where for s in run]
            label = f"{len(run)} register{'s' if len(run) > 1 else ''} ({names[0]}" \
                + (f" … {names[-1]})" if len(run) > 1 else ")")
            where = (f"{run[0].where} … {run[-1].where}" if len(run) > 1 else run[0].where) if save \
                else "from the frame"
            rows.append((run[0].actor, run[0].action, label, where))
            run.clear()

    for s in record.steps:
        if s.item == "regs" and s.action in ("save", "restore") and (not run or run[0].action == s.action):
            run.append(s)
            continue
        flush()
        if s.item == "regs" and s.action in ("save", "restore"):
            run.append(s)
            continue
        rows.append((s.actor, s.action, s.what, s.where))
    flush()
    return rows


def _who(step) -> str:
    if step is None:
        return '<td style="color:#999">—</td>'
    color = "#b35900" if step.actor == HARDWARE else "#1f5fa8"
    return (f'<td><b style="color:{color}">{step.actor}</b>: {escape(step.what)} → '
            f'<code>{escape(step.where)}</code></td>')


def summary_html(recs: list[TrapRecord]) -> str:
    """One row per item (ITEMS): who saved or wrote it first, and where, on each ISA."""
    head = "".join(f"<th>{escape(r.isa)}{' (machine)' if r.source == 'machine' else ' (model)'}</th>" for r in recs)
    rows = []
    for item, meaning in ITEMS.items():
        if item == "return":
            continue
        rows.append(f"<tr><th style='text-align:left'>{escape(meaning)}</th>"
                    + "".join(_who(r.first(item)) for r in recs) + "</tr>")
    return (f"<table><caption>{escape(recs[0].example)}: who saves what, where (first step about "
            f"each item)</caption><tr><th></th>{head}</tr>{''.join(rows)}</table>")


def steps_html(recs: list[TrapRecord]) -> str:
    """Every (grouped) step of each ISA, in order, in one column per ISA."""
    cols = [grouped(r) for r in recs]
    n = max(len(c) for c in cols)
    head = "".join(f"<th>{escape(r.isa)} ({r.source})</th>" for r in recs)
    body = []
    for i in range(n):
        cells = []
        for c in cols:
            if i < len(c):
                actor, action, what, where = c[i]
                color = "#b35900" if actor == HARDWARE else "#1f5fa8"
                cells.append(f'<td><span style="color:{color}">{actor[0].upper()}</span> {escape(action)} '
                             f'{escape(what)} → <code>{escape(where)}</code></td>')
            else:
                cells.append("<td></td>")
        body.append(f"<tr><td>{i + 1}</td>{''.join(cells)}</tr>")
    return (f"<table><caption>{escape(recs[0].example)}: the steps in order "
            f"(H hardware, S software)</caption><tr><th>#</th>{head}</tr>{''.join(body)}</table>")
