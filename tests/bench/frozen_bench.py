"""The desktop build against the source install: cold start to the caseload shown, the same
runs interleaved, on the benchmark's caseload. Needs `make dist` first (else says so).

"Shown" is `--screenshot`: the process starts, opens the database, builds the caseload window,
paints it into a PNG and exits; the same work for both, so the ratio is the frozen app's cost.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FROZEN = ROOT / "dist" / "traject" / ("traject.exe" if sys.platform == "win32" else "traject")
SOURCE = Path(sys.executable).with_name("traject")
STARTS = 7


def _shown(command: Path, url: str, folder: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRAJECT_LANG": "en",
           "XDG_CONFIG_HOME": str(folder / "config"), "XDG_STATE_HOME": str(folder / "state")}  # fmt: skip
    start = time.perf_counter()
    subprocess.run([str(command), "--screenshot", str(folder / "shot.png"), "--db", url],
                   check=True, capture_output=True, env=env, cwd=folder)  # fmt: skip
    return time.perf_counter() - start


def run(url: str) -> dict[str, float]:
    if not FROZEN.exists():
        print(f"frozen vs source start: no {FROZEN.relative_to(ROOT)}; run `make dist` first")
        return {}
    frozen, source = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _round in range(STARTS):  # interleaved: a slow moment of the machine hits both
            frozen.append(_shown(FROZEN, url, Path(folder)))
            source.append(_shown(SOURCE, url, Path(folder)))
    frozen_s, source_s = statistics.median(frozen), statistics.median(source)
    print(f"cold start to caseload shown (--screenshot, median of {STARTS}): frozen {frozen_s:.2f} s, "
          f"from source {source_s:.2f} s = {frozen_s / source_s:.2f}× (goal ≤ 1.2×)")  # fmt: skip
    return {"frozen_start_s": frozen_s, "source_start_s": source_s}


if __name__ == "__main__":
    from tests.bench.run_bench import BENCH_DIR, CLIENTS

    found = sorted(BENCH_DIR.glob(f"big-{CLIENTS}-r*.db"))
    if not found:
        raise SystemExit("no benchmark caseload yet: run `make bench` once")
    run(f"sqlite:///{found[-1]}")
