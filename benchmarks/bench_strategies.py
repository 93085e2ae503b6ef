"""How long the strategies take to generate 1,000 error payloads.

Two figures: a ``@given`` test that runs 1,000 examples (what a user's test pays, hypothesis's
engine included) and, for scale, the same run over a plain ``{"code": int, "msg": text}``
strategy.  The catalog is loaded and the strategies warmed up before timing.

    python benchmarks/bench_strategies.py [--examples N] [--rounds R] [--product P]

Without ``--product`` the payloads come from every product line's catalog (the default of the
strategies); with it, from that product's only.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from binance_errors.strategies import error_payloads


def _time_run(strategy: st.SearchStrategy[Any], examples: int, run_seed: int) -> tuple[float, int]:
    count = 0

    @settings(
        max_examples=examples,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    @seed(run_seed)
    def consume(payload: Any) -> None:
        nonlocal count
        count += 1

    start = time.perf_counter()
    consume()
    return time.perf_counter() - start, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--product", default=None, help="one product line (sapi, spot, usdm, ...); default: all")
    options = parser.parse_args()
    baseline = st.fixed_dictionaries({"code": st.integers(-99_999, -1), "msg": st.text()})
    label_ = "error_payloads()" if options.product is None else f"error_payloads(product={options.product!r})"
    for label, strategy in ((label_, error_payloads(product=options.product)), ("plain dict baseline", baseline)):
        _time_run(strategy, 50, 0)  # warm-up: catalog, compiled patterns, strategy caches
        runs = [_time_run(strategy, options.examples, run_seed) for run_seed in range(options.rounds)]
        times = [seconds for seconds, _ in runs]
        print(
            f"{label:32s} {runs[0][1]} examples per run: median {statistics.median(times):.3f} s, "
            f"best {min(times):.3f} s, worst {max(times):.3f} s over {options.rounds} seeded runs"
        )


if __name__ == "__main__":
    main()
