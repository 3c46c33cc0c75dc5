"""Capacity of the class server (issue 14): N students running notebooks 02 and 03 at once.

For each class size N, a fresh hub (``deploy/jupyterhub/jupyterhub_config.py``, simple spawner,
on free localhost ports) is started; N students are created through the REST API and all their
servers are started at the same moment (spawn time: request → server ready). Then every student
runs the course notebook 02 in their own kernel, all at once, and, when everybody is done,
notebook 03 (spaCy lexicometry), all at once — the worst moment of a class session. A sampler
reads the memory of every student's server + kernels each second.

Anchor: one student alone (N = 1) running the same notebooks on the same hub configuration;
the ratio is the median wall time at N over the time alone. Results are checked: every run must
end without error, and all the students of a class must print exactly the same thing (a
difference with the student alone is shown too).

Reported per N: spawn time (median, max), wall time of 02 and 03 (median, max, ratio to the
anchor), peak RSS per student (server + kernels, median and max), PSS per student at the end of
03 (the memory really taken: shared pages shared out), CPU seconds of a student's kernel for 03,
failures. Then the sizing figures: students per GB (from PSS), students per core (from CPU
seconds, for notebook 03 finishing within --attente seconds when everyone starts it together),
and a memory limit per student that holds (largest peak RSS + 30 %, rounded up to 128 MiB).

Usage::

    python benchmarks/bench_hub.py --eleves 2                 # development
    python benchmarks/bench_hub.py --eleves 5,10,20,30 --runs 1

Needs the [hub] extra and configurable-http-proxy (see deploy/jupyterhub/README.md). The
students' lemmatisation caches start empty (a student's first run of notebook 03).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy" / "jupyterhub"))
import hubdriver  # noqa: E402

NOTEBOOKS = {
    "02": "movsc-cours/notebooks/02_enquete_analyse.ipynb",
    "03": "movsc-cours/notebooks/03_lexicometrie.ipynb",
}
MIB = 1024 * 1024


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def run_class(n: int, timeout: float, extra_env: dict[str, str] | None = None) -> dict:
    """One class of ``n`` students on a fresh hub; the measures of that session."""
    import psutil

    with tempfile.TemporaryDirectory(prefix=f"bench-hub-{n}-") as tmp:
        hub = hubdriver.Hub(tmp, extra_env=extra_env)
        hub.start()
        try:
            names = [f"eleve{i:02d}" for i in range(1, n + 1)]
            hub.create_students(names)
            spawn: dict[str, float] = {}
            runs: dict[str, dict] = {name: {} for name in names}
            peak: dict[str, int] = dict.fromkeys(names, 0)
            pss: dict[str, int] = {}
            errors: list[str] = []
            phase = threading.Barrier(n)
            done = threading.Event()
            low_memory = threading.Event()
            peak_total = [0]

            def student(name: str) -> None:
                try:
                    t0 = time.monotonic()
                    hub.start_server(name)
                    hub.wait_ready([name], timeout=timeout)
                    spawn[name] = time.monotonic() - t0
                except Exception as exc:
                    errors.append(f"{name} démarrage : {exc}")
                    phase.abort()
                    return
                for key, path in NOTEBOOKS.items():
                    try:
                        phase.wait(timeout=timeout)
                    except threading.BrokenBarrierError:
                        return
                    if low_memory.is_set():
                        errors.append(f"{name} {key} : non lancé (mémoire disponible < 2 Gio)")
                        continue
                    run = hub.run_notebook(name, path, timeout=timeout, measure=key == "03")
                    runs[name][key] = run
                    if key == "03":
                        pss[name] = run.end_pss
                    if run.error:
                        errors.append(f"{name} {key} : {run.error}")

            def sampler() -> None:
                while not done.is_set():
                    total = 0
                    for name in names:
                        if name in spawn:
                            now = hub.rss(name)
                            total += now
                            peak[name] = max(peak[name], now)
                    peak_total[0] = max(peak_total[0], total)
                    # a shared machine: stop starting notebooks before other people's
                    # processes run out of memory
                    if psutil.virtual_memory().available < 2 * 1024 * MIB:
                        low_memory.set()
                    done.wait(1.0)

            threads = [threading.Thread(target=student, args=(nm,)) for nm in names]
            watcher = threading.Thread(target=sampler, daemon=True)
            watcher.start()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            done.set()
            watcher.join()
            overhead = 0
            with_hub = psutil.Process(hub.process.pid)
            for proc in [with_hub, *with_hub.children()]:
                try:
                    cmd = " ".join(proc.cmdline())
                    if "singleuser" not in cmd and "movsc_toolkit.hub" not in cmd:
                        overhead += proc.memory_info().rss
                except psutil.Error:
                    pass
        finally:
            hub.stop()
    result = {
        "n": n,
        "spawn": list(spawn.values()),
        "errors": errors,
        "peak": [v for v in peak.values() if v],
        "pss": list(pss.values()),
        "overhead": overhead,
        "peak_total": peak_total[0],
    }
    for key in NOTEBOOKS:
        done_runs = [r[key] for r in runs.values() if key in r]
        result[key] = [r.seconds for r in done_runs]
        result[f"{key}_cpu"] = [r.cpu_seconds for r in done_runs]
        result[f"{key}_out"] = [
            _normalised(r.outputs, r.student, hub) for r in done_runs if not r.error
        ]
    return result


def _normalised(outputs: list[str], student: str, hub: hubdriver.Hub) -> tuple[str, ...]:
    """The printed text without what differs by construction (home folder, login).

    The kernel cuts its printed text into messages at times that depend on the load: the
    messages are joined before comparing.
    """
    home = str(hub.homes / student)
    text = "".join(outputs)
    return (text.replace(home, "~").replace(str(hub.workdir), "<hub>").replace(student, "<élève>"),)


def _first_difference(got: tuple[str, ...], expected: tuple[str, ...]) -> str:
    for a, b in zip(got, expected, strict=False):
        if a != b:
            at = next(i for i, (x, y) in enumerate(zip(a + "\0", b + "\0", strict=False)) if x != y)
            where = slice(max(0, at - 60), at + 80)
            return f"caractère {at} : …{a[where]!r}… au lieu de …{b[where]!r}…"
    return f"{len(got)} sorties au lieu de {len(expected)}"


def _fmt(value: float, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}".replace(".", ",")


def _row(r: dict, alone03: float) -> str:
    return (
        f"| {r['n']} | {_fmt(_median(r['spawn']))} / {_fmt(max(r['spawn'], default=math.nan))}"
        f" | {_fmt(_median(r['02']))} / {_fmt(max(r['02'], default=math.nan))}"
        f" | {_fmt(_median(r['03']))} / {_fmt(max(r['03'], default=math.nan))}"
        f" | {_fmt(_median(r['03']) / alone03, 2)}"
        f" | {_median(r['peak']) / MIB:.0f} / {max(r['peak'], default=0) / MIB:.0f}"
        f" | {_median(r['pss']) / MIB:.0f}"
        f" | {_fmt(r['peak_total'] / 1024 / MIB)}"
        f" | {_fmt(_median(r['03_cpu']))}"
        f" | {len(r['errors']) + r['mismatched']}"
        f" | {_fmt(r['load'], 2)} |"
    )


def _report(anchor: dict, rows: list[dict], attente: float) -> None:
    alone = {key: anchor[key][0] for key in NOTEBOOKS}
    header = (
        "| élèves | démarrage méd./max (s) | 02 méd./max (s) | 03 méd./max (s) | "
        "03 : ratio au temps seul | pic RSS/élève méd./max (Mio) | PSS/élève fin 03 (Mio) | "
        "RSS de la classe au pic (Gio) | "
        "CPU noyau 03 (s) | échecs | charge 1 min |"
    )
    print()
    print(header)
    print("|---" * 11 + "|")
    for r in rows:
        print(_row(r, alone["03"]))
    all_peaks = [p for r in [anchor, *rows] for p in r["peak"]]
    all_pss = [p for r in [anchor, *rows] for p in r["pss"]]
    cpu03 = _median([c for r in [anchor, *rows] for c in r["03_cpu"]])
    limit = math.ceil(max(all_peaks) * 1.3 / (128 * MIB)) * 128
    # PSS shrinks as more students share the same libraries: take the largest class
    biggest = max((r for r in rows if r["pss"]), key=lambda r: r["n"], default=anchor)
    per_gb = 1024 / (_median(biggest["pss"]) / MIB)
    per_core = attente / cpu03
    print()
    print("| mesure | valeur |")
    print("|---|---|")
    print(f"| pic RSS d'un·e élève, le plus haut (Mio) | {max(all_peaks) / MIB:.0f} |")
    print(
        f"| PSS médiane d'un·e élève en fin de carnet 03, toutes classes (Mio) | "
        f"{_median(all_pss) / MIB:.0f} |"
    )
    print(f"| élèves par Gio de mémoire (PSS, classe de {biggest['n']}) | {_fmt(per_gb)} |")
    print(f"| CPU d'un·e élève pour le carnet 03 (s, médiane) | {_fmt(cpu03)} |")
    print(f"| élèves par cœur, carnet 03 fini en {attente:.0f} s pour tous | {_fmt(per_core)} |")
    print(f"| limite mémoire par élève qui tient (pic max + 30 %) | {limit} Mio |")
    print(f"| hub + proxy + culler (RSS, Mio) | {rows[-1]['overhead'] / MIB:.0f} |" if rows else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eleves", default="5,10,20,30", help="tailles de classe, ex. 5,10,20")
    parser.add_argument("--runs", type=int, default=1, help="répétitions par taille (médiane)")
    parser.add_argument("--delai", type=float, default=1500, help="délai par étape (s)")
    parser.add_argument(
        "--attente", type=float, default=120, help="attente acceptable du carnet 03 (s)"
    )
    parser.add_argument(
        "--cache-classe",
        action="store_true",
        help="cache de lemmatisation commun, rempli avant la séance (deploy/jupyterhub/cache.md)",
    )
    args = parser.parse_args(argv)
    reason = hubdriver.missing_requirements()
    if reason:
        print(f"Mesure impossible : {reason}.")
        return 1
    sizes = [int(x) for x in args.eleves.split(",") if x.strip()]
    print(
        f"Machine : {os.cpu_count()} cœurs, {platform.platform()} ; charge avant : "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    extra_env: dict[str, str] = {}
    cache_tmp = None
    if args.cache_classe:
        cache_tmp = tempfile.TemporaryDirectory(prefix="bench-hub-cache-")
        extra_env["MOVSC_HUB_CACHE_DIR"] = cache_tmp.name
        print("Cache commun : rempli par une exécution du carnet 03…", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--stdout",
                str(ROOT / "notebooks" / "03_lexicometrie.ipynb"),
            ],
            cwd=ROOT / "notebooks",
            env={**os.environ, "MOVSC_CACHE_DIR": cache_tmp.name},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
    print("Référence : un·e élève seul·e (N = 1)…", flush=True)
    anchor = run_class(1, args.delai, extra_env)
    if anchor["errors"]:
        print("Échec de la référence :", *anchor["errors"], sep="\n  ")
        return 1
    alone = {key: anchor[key][0] for key in NOTEBOOKS}
    expected = {key: anchor[f"{key}_out"][0] for key in NOTEBOOKS}
    print(
        f"  seul·e : démarrage {_fmt(anchor['spawn'][0])} s, 02 {_fmt(alone['02'])} s, "
        f"03 {_fmt(alone['03'])} s, pic {anchor['peak'][0] / MIB:.0f} Mio, "
        f"PSS {anchor['pss'][0] / MIB:.0f} Mio, CPU 03 {_fmt(anchor['03_cpu'][0])} s",
        flush=True,
    )
    rows = []
    for n in sizes:
        for repeat in range(args.runs):
            print(f"Classe de {n} élèves (essai {repeat + 1}/{args.runs})…", flush=True)
            started = time.monotonic()
            result = run_class(n, args.delai, extra_env)
            result["wall"] = time.monotonic() - started
            result["load"] = os.getloadavg()[0]
            # every student of the class must print the same thing (the most common
            # output); differences with the student alone are shown, not counted: the code
            # of a shared checkout may change between the two runs
            mismatched = 0
            for key in NOTEBOOKS:
                outs = result[f"{key}_out"]
                if not outs:
                    continue
                common = Counter(outs).most_common(1)[0][0]
                mismatched += sum(out != common for out in outs)
                for out in outs:
                    if out != common:
                        print(f"    {key} : {_first_difference(out, common)}")
                        break
                if common != expected[key]:
                    print(f"    {key} (≠ seul·e) : {_first_difference(common, expected[key])}")
            result["mismatched"] = mismatched
            print(
                f"  fini en {result['wall']:.0f} s ; échecs : {len(result['errors'])} ; "
                f"sorties différentes dans la classe : {mismatched}",
                flush=True,
            )
            for line in result["errors"][:5]:
                print(f"    {line}")
            rows.append(result)
            print("  " + _row(result, alone["03"]), flush=True)

    _report(anchor, rows, args.attente)
    failures = sum(len(r["errors"]) + r["mismatched"] for r in rows)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
