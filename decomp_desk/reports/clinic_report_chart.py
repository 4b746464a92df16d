"""The clinic outcome report's chart: how pain changed per course (latest minus baseline, 0-10 scale),
one bar per change, lumbar and cervical stacked. No Qt, no pyplot. Bars to the left of 0 are courses
whose pain fell; the dashed line marks the -2 points that is the least a meaningful fall can be."""
from __future__ import annotations

from collections import Counter

from matplotlib.figure import Figure

from decomp_desk.domain.clinic_outcomes import ClinicReport

COLORS = {"lumbar": "#0072B2", "cervical": "#E69F00"}  # Okabe-Ito blue and orange
HATCHES = {"lumbar": "", "cervical": "///"}  # told apart on a black-and-white printer too


def pain_change_figure(report: ClinicReport, *, width: float = 7.0, height: float = 2.1) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    ax = fig.add_subplot()
    changes = range(-10, 11)
    bottom = [0] * len(changes)
    any_course = False
    for region in ("lumbar", "cervical"):
        counts = Counter(report.regions[region].pain_changes)
        heights = [counts.get(c, 0) for c in changes]
        any_course |= any(heights)
        ax.bar(list(changes), heights, bottom=bottom, color=COLORS[region], hatch=HATCHES[region],
               edgecolor="white", linewidth=0.6, label=region.capitalize(), gid=f"pain-change-{region}")
        bottom = [b + h for b, h in zip(bottom, heights, strict=False)]
    if not any_course:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No course with two or more sessions in this period", ha="center", va="center",
                fontsize=11, color="#555555", transform=ax.transAxes)
        return fig
    ax.axvline(-1.5, color="#555555", linestyle=(0, (3, 2)), linewidth=1)
    ax.annotate("\u2190 meaningful fall (2 points or more)", xy=(-1.5, 1.0), xycoords=("data", "axes fraction"),
                xytext=(-4, -2), textcoords="offset points", ha="right", va="top", fontsize=7.5, color="#333333",
                bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85))
    ax.set_xticks(list(range(-10, 11, 2)))
    ax.set_xlim(-10.6, 10.6)
    top = max(bottom)
    ax.set_yticks(range(0, top + 1, max(1, top // 5)))
    ax.set_xlabel("Change in pain per course, latest minus first session (points on the 0-10 scale)", fontsize=8)
    ax.set_ylabel("Courses", fontsize=8)
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=8, frameon=False)
    return fig
