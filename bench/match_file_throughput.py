"""Throughput and peak memory of ``match_file`` on the real synthetic register from ``seed.benchmark``.

    .venv/bin/python bench/match_file_throughput.py                 # 1,000,000 records
    .venv/bin/python bench/match_file_throughput.py --records 100000

1. Generates the benchmark (``seed.population`` + ``seed.benchmark.write_benchmark``, fixed seed)
   into a temporary directory. Not timed.
2. Runs ``match_file`` in a fresh child process (``python -c``), so the measurement contains the
   engine only: no generator objects in memory. Wall time is measured around the child, from
   spawn to exit (interpreter start-up and import included, about 0.2 s). The child ends as the command
   line entry (``python -m licensing.matching.batch``) does, without the interpreter's teardown.
3. Memory, three ways, all covering the match_file process *and* its forked workers:
   * **peak PSS of the process tree** (the headline): /proc/<pid>/smaps_rollup of the child and
     every descendant, summed, sampled every 0.1 s. PSS divides each shared page between the
     processes sharing it, so copy-on-write pages the workers share with the parent are counted
     once: this is the physical memory the run needs. Sampling can miss a peak shorter than
     0.1 s, so it is a lower bound on the true peak within that resolution;
   * peak sum of RSS over the tree (same sampling): counts shared pages once per process, so it
     over-states memory after a fork; an upper bound;
   * ``getrusage`` max RSS of the child and of its largest worker (kernel-exact high-water
     marks per process, not a sum).
Results go to stdout and ``bench/results/match_file_throughput.txt``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seed.benchmark import write_benchmark  # noqa: E402
from seed.population import DEFAULT_SEED, generate_population  # noqa: E402

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[4])
from licensing.matching.batch import match_file
workers = None if sys.argv[3] == "auto" else int(sys.argv[3])
t0 = time.perf_counter()
c0 = time.process_time()
review = sys.argv[5] if len(sys.argv) > 5 else None
report = match_file(sys.argv[1], sys.argv[2], progress=None, workers=workers, review_path=review)
seconds = time.perf_counter() - t0
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"records": report.records, "pairs": report.candidate_pairs, "links": report.links,
                  "seconds_in_match_file": seconds, "cpu_seconds": time.process_time() - c0,
                  "maxrss_self_kb": me, "maxrss_largest_worker_kb": kids,
                  "warnings": report.warnings, "oversized_blocks": report.oversized_blocks,
                  "phase_cpu": report.phase_cpu, "phase_wall": getattr(report, "phase_wall", {}),
                  "worker_cpu": getattr(report, "worker_cpu", {})}))
# End as `python -m licensing.matching.batch` does: output written and closed, no interpreter teardown.
sys.stdout.flush()
import os
os._exit(0)
"""


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """(sum of PSS, sum of RSS) in kB over pid and its descendants."""
    pss = rss = 0
    for p in _descendants(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            pass
    return pss, rss


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_pss = self.peak_rss = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pss, rss = _tree_memory_kb(self.pid)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_rss = max(self.peak_rss, rss)
            self.stop.wait(self.interval)


def _quality(links_csv: Path, truth_csv: Path, hard_csv: Path) -> list[str]:
    """The auto-links scored against seed.benchmark's ground truth, and its labelled look-alike pairs."""
    import csv
    from collections import Counter

    with truth_csv.open(newline="") as fh:
        person = {row["record_id"]: row["person_id"] for row in csv.DictReader(fh)}
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(person.values()).values())
    with links_csv.open(newline="") as fh:
        linked = {tuple(sorted((row["id_a"], row["id_b"]))) for row in csv.DictReader(fh)}
    right = sum(person[a] == person[b] for a, b in linked)
    precision, recall = right / max(len(linked), 1), right / max(true_pairs, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    lines = [
        f"quality against truth.csv: links {len(linked):,}, false {len(linked) - right:,}, precision "
        f"{precision:.5f}, recall {recall:.5f} of {true_pairs:,} true pairs, F1 {f1:.5f}"
    ]
    if hard_csv.exists():
        found: Counter = Counter()
        with hard_csv.open(newline="") as fh:
            for row in csv.DictReader(fh):
                pair = tuple(sorted((row["id_a"], row["id_b"])))
                found[(row["kind"], row["is_match"] == "1", pair in linked)] += 1
        for kind in sorted({k for k, _, _ in found}):
            same, apart = found[(kind, True, True)] + found[(kind, True, False)], found[(kind, False, True)]
            if same:
                lines.append(f"  {kind:<20} linked {found[(kind, True, True)]:,} of {same:,} true pairs")
            if found[(kind, False, True)] + found[(kind, False, False)]:
                lines.append(
                    f"  {kind:<20} false links {apart:,} of "
                    f"{found[(kind, False, True)] + found[(kind, False, False)]:,} look-alike pairs"
                )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time match_file on seed.benchmark records.")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", default="auto", help="match_file workers (default: its own choice)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "match_file_throughput.txt"))
    parser.add_argument(
        "--input",
        default=None,
        help="a records.csv written earlier by seed.benchmark (generate once, reuse; --records is ignored)",
    )
    parser.add_argument(
        "--keep-output",
        default=None,
        help="a directory to keep links.csv and review.csv in (to compare runs byte for byte)",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="match_throughput_") as tmp:
        t0 = time.perf_counter()
        if args.input:
            records_csv = Path(args.input)
        else:
            population = generate_population(args.records, args.seed)
            records_csv = write_benchmark(population, tmp).records
            del population
        generation = time.perf_counter() - t0
        print(f"input {records_csv} ready in {generation:.1f}s (not timed)", file=sys.stderr)
        kept = Path(args.keep_output) if args.keep_output else None
        if kept is not None:
            kept.mkdir(parents=True, exist_ok=True)
        out_csv = (kept or Path(tmp)) / "links.csv"
        review = [str(kept / "review.csv")] if kept is not None else []
        env = dict(os.environ, PYTHONHASHSEED="0")
        import resource

        load_before = os.getloadavg()[0]
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t1 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(records_csv), str(out_csv), str(args.workers), str(ROOT)]
            + review,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        sampler = _Sampler(proc.pid)
        sampler.start()
        stdout, _ = proc.communicate()
        wall = time.perf_counter() - t1
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        load_after = os.getloadavg()[0]
        sampler.stop.set()
        sampler.join()
        if proc.returncode != 0:
            print(f"match_file failed with exit code {proc.returncode}", file=sys.stderr)
            return 1
        child = json.loads(stdout.strip().splitlines()[-1])
        truth = records_csv.with_name("truth.csv")
        quality = _quality(out_csv, truth, records_csv.with_name("hard_pairs.csv")) if truth.exists() else []

    n = child["records"]
    gb = 1024 * 1024
    lines = [
        f"match_file on seed.benchmark records.csv (seed {args.seed}), workers={args.workers}, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
        f"records              {n:,}",
        f"candidate pairs      {child['pairs']:,}",
        f"links written        {child['links']:,}",
        f"wall seconds         {wall:.1f}  (child process spawn to exit; match_file itself "
        f"{child['seconds_in_match_file']:.1f}s; generation {generation:.1f}s excluded)",
        f"records/s            {n / wall:,.0f}",
        f"CPU seconds          {cpu:.1f} (user+sys, match_file process and its workers); machine load "
        f"average {load_before:.1f} before / {load_after:.1f} after on {os.cpu_count()} CPUs "
        f"(other jobs running inflate wall time)",
        f"peak memory (PSS, match_file process + workers, sampled 0.1s)  {sampler.peak_pss / gb:.2f} GB",
        f"peak sum of RSS (same tree; shared copy-on-write pages counted per process)  {sampler.peak_rss / gb:.2f} GB",  # noqa: E501
        f"max RSS (getrusage): match_file process {child['maxrss_self_kb'] / gb:.2f} GB, "
        f"largest worker {child['maxrss_largest_worker_kb'] / gb:.2f} GB",
        f"oversized blocks skipped {child['oversized_blocks']}; warnings "
        + (", ".join(f"{k}: {v:,}" for k, v in sorted(child["warnings"].items())) or "none"),
        f"CPU seconds in the child by time.process_time(): {child['cpu_seconds']:.1f}",
        "CPU seconds per phase (match_file process): "
        + ", ".join(f"{k} {v:.1f}" for k, v in child.get("phase_cpu", {}).items()),
        "wall seconds per phase (match_file process): "
        + (", ".join(f"{k} {v:.1f}" for k, v in child.get("phase_wall", {}).items()) or "not reported"),
        "CPU seconds of the forked workers per phase: "
        + (", ".join(f"{k} {v:.1f}" for k, v in child.get("worker_cpu", {}).items()) or "none"),
        f"targets: under 60 s -> wall {'met' if wall < 60 else 'NOT met'}, CPU "
        f"{'met' if cpu < 60 else 'NOT met'}; under 2 GB peak (PSS) -> "
        f"{'met' if sampler.peak_pss < 2 * gb else 'NOT met'}",
        *quality,
    ]
    print("\n".join(lines))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    source = f"--input {args.input}" if args.input else f"--records {args.records}"
    out.write_text(
        f"# bench/match_file_throughput.py {source} "
        f"({time.strftime('%Y-%m-%d %H:%M')})\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
