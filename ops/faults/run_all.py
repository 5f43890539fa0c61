"""``make faults``: every fault test on one private PostgreSQL cluster (built and removed
here), with a pass/fail summary; exits 1 when any fails."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from ops.faults import dropped_connection, pg_restart, worker_kill
from ops.faults.cluster import prepare, private_cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=400)
    args = parser.parse_args(argv)
    with private_cluster() as cluster:
        url = prepare(cluster, people=args.people)
        outcomes = [
            dropped_connection.run(url),
            worker_kill.run(url),
            pg_restart.run(cluster, url, outage=3.0, after=10.0),  # last: it restarts the cluster
        ]
    for outcome in outcomes:
        outcome.report()
    failed = [o.name for o in outcomes if not o.passed]
    print(f"\nfault tests: {len(outcomes) - len(failed)} passed, {len(failed)} failed {failed or ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
