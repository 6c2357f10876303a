"""Benchmark: the one formatter (``bilat.formats``) on the cells of a large table.

bilat: ``formats.money`` and ``formats.percent(signed=True)`` in English and Russian, as the
CLI, the web app and the briefing call them. Baselines, same values, interleaved A B A B:
Babel called directly with a fixed pattern (``format_compact_currency`` /
``format_percent``; the fastest locale-aware way, and what ``bilat.formats`` wraps) and the
hand-made f-strings the fronts used before issue 19 (``f"{v / 1e6:,.2f} m USD"``,
``f"{v:+.1f} %"``; not locale-aware, the floor). Prints time per 100,000 cells, the ratios,
peak memory and the machine's load.

    .venv/bin/python benchmarks/formats.py [--cells 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import peak_rss_mb


def _values(n: int) -> list[float]:
    import numpy as np

    rng = np.random.default_rng(19)
    return [float(v) for v in rng.lognormal(14, 3, n) * rng.choice([-1, 1], n)]


def _time(fn: Callable[[float], str], values: list[float]) -> float:
    t = time.perf_counter()
    for v in values:
        fn(v)
    return time.perf_counter() - t


def _contenders(lang: str) -> dict[str, dict[str, Callable[[float], str]]]:
    from babel.numbers import format_compact_currency, format_percent

    from bilat import formats

    return {
        "money": {
            "bilat.formats.money": formats.money,
            "babel direct": lambda v: format_compact_currency(
                v, "USD", locale=lang, fraction_digits=1
            ),
            "f-string (old)": lambda v: f"{v / 1e6:,.2f} m USD",  # not-a-figure: the baseline
        },
        "percent": {
            "bilat.formats.percent": lambda v: formats.percent(v / 1e6, signed=True),
            "babel direct": lambda v: format_percent(v / 1e8, format="+#,##0.0%", locale=lang),
            "f-string (old)": lambda v: f"{v / 1e6:+.1f} %",  # not-a-figure: the baseline
        },
    }


def main() -> int:
    from bilat import i18n

    p = argparse.ArgumentParser()
    p.add_argument("--cells", type=int, default=100_000)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    values = _values(args.cells)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {args.cells} cells")
    for lang in ("en", "ru"):
        with i18n.use(lang):
            for kind, fns in _contenders(lang).items():
                best = {name: float("inf") for name in fns}
                for _ in range(args.rounds):  # interleaved: A B C A B C ...
                    for name, fn in fns.items():
                        best[name] = min(best[name], _time(fn, values))
                ours = next(iter(best.values()))
                line = ", ".join(
                    f"{name} {1e5 * s / args.cells:.3f} s (bilat/this ×{ours / s:.2f})"
                    for name, s in best.items()
                )
                print(f"{lang} {kind}: {line}")
    print(f"peak memory {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
