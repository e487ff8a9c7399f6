"""Section 3: the gallery on one core, on every core, and again with nothing changed.

Timed in this process (``render_gallery``), by wall time for the speed-up and by
CPU time for how many cores were really busy: a parallel run that is no faster
on a shared machine shows it here.
"""

from __future__ import annotations

import os
import resource
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from plan import BLUEPRINTS, PARALLEL_EFFICIENCY_MIN, WARM_RATIO_MAX, BenchmarkFailed, Section
from tables import Verdict, ratio, table

from archgen.build import BuildOptions
from archgen.gallery import case_studies, render_gallery


@dataclass(frozen=True)
class GalleryRun:
    seconds: float
    cpu_seconds: float
    rendered: int

    @property
    def cores_busy(self) -> float:
        """CPU time of archgen and every process it started, per second of wall time.

        A parallel run that is slow while this stays near 1 did not get the
        cores (another load on the machine) or did not use them.
        """
        return self.cpu_seconds / self.seconds


@dataclass(frozen=True)
class GalleryTiming:
    blueprints: int
    cores: int
    formats: tuple[str, ...]
    serial: GalleryRun
    parallel: GalleryRun
    warm: GalleryRun

    @property
    def speedup(self) -> float:
        return self.serial.seconds / self.parallel.seconds

    @property
    def warm_ratio(self) -> float:
        return self.warm.seconds / self.parallel.seconds


def copy_blueprints(chosen: Sequence[Path], source: Path) -> Path:
    """The bundled blueprints with only the `chosen` case studies (all the fragments)."""
    shutil.copytree(BLUEPRINTS, source)
    keep = {path.relative_to(BLUEPRINTS) for path in chosen}
    for path in case_studies(source):
        if path.relative_to(source) not in keep:
            path.unlink()
    return source


def time_gallery(chosen: Sequence[Path], scratch: Path, formats: tuple[str, ...]) -> GalleryTiming:
    """A cold gallery on one core, then on every core, then the same again with nothing changed."""
    source = copy_blueprints(chosen, scratch / "gallery-src")
    options = BuildOptions(formats=formats)

    def timed_run(out: Path, jobs: int | None) -> GalleryRun:
        cpu_before, started = cpu_seconds(), time.perf_counter()
        report = render_gallery(source, out, options, jobs=jobs)
        elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
        if not report.ok:
            raise BenchmarkFailed("; ".join(map(str, report.errors)))
        return GalleryRun(elapsed, cpu, len(report.rendered))

    return GalleryTiming(
        len(chosen),
        os.cpu_count() or 1,
        formats,
        serial=timed_run(scratch / "gallery-1", 1),
        parallel=timed_run(scratch / "gallery-n", None),
        warm=timed_run(scratch / "gallery-n", None),
    )


def cpu_seconds() -> float:
    """User and system time of this process and of its finished children (workers, dot)."""
    usages = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def gallery_section(g: GalleryTiming) -> Section:
    runs = [
        ("cold, -j 1", g.serial),
        (f"cold, -j {g.cores} (every core)", g.parallel),
        ("warm, nothing changed", g.warm),
    ]
    rows = [
        [name, f"{run.seconds:.3f}", f"{run.cpu_seconds:.3f}", ratio(run.cores_busy), run.rendered]
        for name, run in runs
    ]
    efficiency = g.speedup / g.cores
    verdicts = [
        Verdict(
            f"gallery speed-up on {g.cores} cores (speed-up / cores)",
            f"{g.speedup:.2f}x ({efficiency:.2f})",
            f">= {PARALLEL_EFFICIENCY_MIN} x cores",
            efficiency >= PARALLEL_EFFICIENCY_MIN if g.cores > 1 else None,
        ),
        Verdict(
            "warm gallery run / cold run",
            f"{g.warm_ratio:.3f}",
            f"<= {WARM_RATIO_MAX}, 0 re-rendered",
            g.warm_ratio <= WARM_RATIO_MAX and g.warm.rendered == 0,
        ),
    ]
    title = (
        f"3. Gallery of {g.blueprints} blueprints ({','.join(g.formats)}, steps, narrative)"
        f" on {g.cores} cores"
    )
    text = table(title, ["run", "seconds", "cpu s", "cores busy", "rendered"], rows)
    return Section("gallery", text, verdicts, asdict(g) | {"speedup": g.speedup})
