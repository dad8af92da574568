"""Check the golden bare-metal programs against QEMU, the reference machine.

    python tools/check_bare_with_qemu.py [--accept] [NAME ...]

Builds every tests/programs/bare/NAME.{c,S} (or only the NAMEs given) with
-DOSKIT_QEMU (exit() then writes QEMU's test finisher at 0x10_0000 instead of
tohost), runs it with `qemu-system-riscv64 -machine virt -bios none
-cpu rv64,c=false -nographic -smp HARTS -kernel NAME.elf`, and compares the UART output and the
exit status with NAME.qemu.expected when that file exists (where our machine's
documented choice differs from QEMU's) or else with NAME.expected.
With --accept, a program that differs gets NAME.expected rewritten from QEMU's
run (header kept, exit code and output replaced): for writing a new program's
expectations; read the diff before committing it.
Needs qemu-system-riscv64 (Debian: apt-get install qemu-system-misc); the
normal test suite never does.
"""

from __future__ import annotations

import difflib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _golden():
    spec = importlib.util.spec_from_file_location("golden", ROOT / "tests" / "test_bare_programs.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["golden"] = mod          # dataclasses look their module up here
    spec.loader.exec_module(mod)
    return mod


def check(src: Path, golden, accept: bool = False) -> bool:
    """Run one program on QEMU; print what differs; True when it matches."""
    from oskit.toolchain import build

    qexp = src.with_suffix(".qemu.expected")
    exp = golden.load_expected(qexp if qexp.exists() else src.with_suffix(".expected"))
    elf = build([src], mode="bare", name=src.stem + "-qemu", cflags=["-DOSKIT_QEMU"])
    # c=false: like our machine, no compressed instructions (a jump to pc+2 is misaligned).
    cmd = ["qemu-system-riscv64", "-machine", "virt", "-cpu", "rv64,c=false", "-bios", "none", "-nographic",
           "-smp", str(exp.harts), "-kernel", str(elf)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=20)
    except subprocess.TimeoutExpired as e:
        print(f"FAIL {src.stem}: QEMU did not exit within 20 s; its output so far:")
        print((e.stdout or b"").decode(errors="replace"))
        return False
    out = proc.stdout.decode(errors="replace")
    ok = out == exp.output and proc.returncode == exp.exit
    print(f"{'ok  ' if ok else 'FAIL'} {src.stem}{' (qemu.expected)' if qexp.exists() else ''}")
    if proc.returncode != exp.exit:
        print(f"     exit status {proc.returncode}, expected {exp.exit}")
    if out != exp.output:
        sys.stdout.writelines(difflib.unified_diff(
            exp.output.splitlines(True), out.splitlines(True), "expected", "qemu"))
    if not ok and accept:
        target = qexp if qexp.exists() else src.with_suffix(".expected")
        head = [line for line in target.read_text().partition("---\n")[0].splitlines()
                if not line.startswith("exit:")]
        target.write_text("\n".join([f"exit: {proc.returncode}", *head, "---", ""]) + out)
        print(f"     wrote {target.relative_to(ROOT)}")
    return ok


def main(argv: list[str]) -> int:
    if shutil.which("qemu-system-riscv64") is None:
        print("qemu-system-riscv64 not found (Debian: apt-get install qemu-system-misc)")
        return 2
    accept = "--accept" in argv
    argv = [a for a in argv if a != "--accept"]
    golden = _golden()
    sources = golden.program_sources()
    if argv:
        sources = [s for s in sources if s.stem in argv]
    failed = [s.stem for s in sources if not check(s, golden, accept)]
    print(f"{len(sources) - len(failed)}/{len(sources)} match QEMU"
          + (f"; differ: {' '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
