"""Growth: `reportgen render all` on synthetic periods of 14, 50, 99 … areas.

A period of N areas is made from the example inputs: area NN is a copy of example area
((NN - 1) mod 14) + 1, registered in a kommune.yaml of N areas (the example's names, with a
number after the fourteenth); rapport.yaml is the example's. Each size renders once per
round (fresh --out), with its peak memory per process sampled from /proc (run.TreeSampler).
The chart is drawn by reportgen's own series chart (render.series.series_layout through
templates/html/series.svg.j2), as a table's `diagram: linje` is in a report.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

EXAMPLE_AREAS = 14


def make_inputs(snapshot: Path, work: Path, period: str, size: int) -> Path:
    """An inputs folder with `size` areas for `period`; its path."""
    if not 1 <= size <= 99:
        raise ValueError(f"--areas: {size} is not between 1 and 99 (area codes have 2 digits)")
    source = snapshot / "inputs"
    inputs = work / f"inputs-{size}"
    (inputs / period).mkdir(parents=True)
    names = _example_names(source / "kommune.yaml")
    lines = []
    for header in (source / "kommune.yaml").read_text("utf-8").splitlines():
        lines.append(header)
        if header.startswith("programområder:"):
            break
    for number in range(1, size + 1):
        example = (number - 1) % EXAMPLE_AREAS + 1
        name = names[example - 1] + ("" if number <= EXAMPLE_AREAS else f" {number}")
        lines.append(f'  "{number:02d}": {name}')
        shutil.copyfile(source / period / f"{example:02d}.yaml",
                        inputs / period / f"{number:02d}.yaml")
    (inputs / "kommune.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    shutil.copyfile(source / period / "rapport.yaml", inputs / period / "rapport.yaml")
    return inputs


def _example_names(kommune: Path) -> list[str]:
    names, inside = [], False
    for line in kommune.read_text("utf-8").splitlines():
        if line.startswith("programområder:"):
            inside = True
        elif inside and line.startswith("  "):
            names.append(line.split(":", 1)[1].strip())
        elif inside and line.strip():
            break
    return names[:EXAMPLE_AREAS]


def chart_svg(sizes: list[int], seconds: list[float], cpu: list[float],
              peaks: list[float], templates: Path) -> str:
    """The figures as reportgen's own line chart (an SVG document)."""
    from reportgen.render.html import _environment
    from reportgen.render.series import series_layout
    from reportgen.view import Series, SeriesChart

    def values(figures: list[float], scale: float) -> tuple[Decimal, ...]:
        return tuple(Decimal(f"{f * scale:.1f}") for f in figures)

    chart = SeriesChart(
        caption="render all: time and peak memory by number of areas",
        alt="Wall and CPU seconds, and the largest process's peak MiB / 10, by areas",
        unit="s | MiB/10", style="linje",
        categories=tuple(f"{n} areas" for n in sizes),
        series=(Series("wall s", values(seconds, 1)), Series("CPU s", values(cpu, 1)),
                Series("peak MiB / 10", values(peaks, 0.1))),
    )
    env = _environment(templates / "html")
    return env.get_template("series.svg.j2").render(layout=series_layout(chart))
