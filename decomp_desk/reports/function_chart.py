"""The function chart: the course's ODI or NDI score (0-100 %) session by session, a panel of its own
beside the symptom chart of reports/charts.py, without Qt and without pyplot.

The bands are shaded lightly behind the line and named at the right, so a patient sees where the score
sits as well as where it is going; lower is better, said on the axis. Readable without colour: one dark
line with square markers. `plotted_function(fig)` reads back what was drawn (gid "function-score")."""
from __future__ import annotations

from matplotlib.figure import Figure

from decomp_desk.domain.outcomes import BANDS, FunctionProgress

LINE_COLOR = "#0072B2"  # Okabe-Ito blue
BAND_SHADES = ("#F2F7F2", "#FAFAF0", "#FBF3EA", "#FAEDEB", "#F5E9F0")
TEXT_COLOR = "#222222"
EMPTY_MESSAGE = "No scored function form yet"


def function_figure(fp: FunctionProgress, sessions: int, *, width: float = 7.5, height: float = 2.4) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    draw_function(fig, fp, sessions)
    return fig


def draw_function(fig: Figure, fp: FunctionProgress, sessions: int) -> None:
    """Clear `fig` and draw the function score of `fp` over a course of `sessions` recorded sessions."""
    fig.clear()
    fig.set_facecolor("white")
    ax = fig.add_subplot()
    name = fp.instrument.short
    if not fp.points:
        ax.set_axis_off()
        ax.text(0.5, 0.5, f"{EMPTY_MESSAGE} ({name})", ha="center", va="center", fontsize=11, color="#555555",
                transform=ax.transAxes, gid="function-empty")
        return
    last = max(sessions, max(p.session_number for p in fp.points))
    ax.set_xlim(0.4, last + 0.6)
    ax.set_ylim(0, 100)
    lower = 0
    for (upper, band), shade in zip(BANDS[fp.instrument], BAND_SHADES, strict=False):
        ax.axhspan(lower, upper + (1 if upper < 100 else 0), color=shade, zorder=0, linewidth=0)
        ax.text(1.0, (lower + min(upper + 1, 100)) / 2, f" {band}", transform=ax.get_yaxis_transform(),
                fontsize=7, color="#666666", va="center", ha="left", clip_on=False)
        lower = upper + 1
    xs = [p.session_number for p in fp.points]
    ys = [float(p.score) for p in fp.points]
    ax.plot(xs, ys, gid="function-score", color=LINE_COLOR, marker="s", markersize=6, linewidth=1.8,
            markeredgecolor="white", markeredgewidth=0.7, zorder=4, clip_on=False)
    for x, y in zip(xs, ys, strict=False):
        ax.annotate(f"{y:.0f}%", (x, y), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=7.5,
                    color=LINE_COLOR)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_yticks(range(0, 101, 20), [f"{v}%" for v in range(0, 101, 20)])
    ax.tick_params(colors=TEXT_COLOR, labelsize=8)
    step = max(1, last // 15)
    ax.set_xticks(range(1, last + 1, step))
    ax.set_xlabel("Session", fontsize=8.5, color=TEXT_COLOR)
    ax.set_ylabel(f"{name} (lower is better)", fontsize=8.5, color=TEXT_COLOR)


def plotted_function(fig: Figure) -> list[tuple[int, float]]:
    for ax in fig.axes:
        for line in ax.get_lines():
            if line.get_gid() == "function-score":
                xs, ys = line.get_xdata(), line.get_ydata()
                return [(int(round(float(x))), float(y)) for x, y in zip(xs, ys, strict=False)]
    return []
