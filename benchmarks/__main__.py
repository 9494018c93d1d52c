"""Run every benchmark (or those named: `python -m benchmarks analysis dispatch`)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(names: list[str]) -> int:
    """Import each benchmark module and call its `run()`; a failure in one does not stop the others."""
    here = Path(__file__).parent
    available = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))
    if any(name in ("-h", "--help") for name in names):
        print("usage: python -m benchmarks [NAME ...]   (what `make bench` runs; no names: all of them)\n")
        for name in available:
            doc = (importlib.import_module(f"benchmarks.{name}").__doc__ or "").strip().splitlines()
            print(f"  {name:<10} {doc[0] if doc else ''}")
        return 0
    chosen = names or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    failed = 0
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"benchmarks.{name}").run()
        except Exception as exc:  # report and go on: one broken benchmark should not hide the rest
            failed += 1
            print(f"{name}: FAILED: {type(exc).__name__}: {exc}", flush=True)
        print(f"({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
