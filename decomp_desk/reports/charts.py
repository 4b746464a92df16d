"""The progress chart: a matplotlib Figure built from a Progress, without Qt and without pyplot.

The desk shows the Figure in a FigureCanvasQTAgg (ui/widgets/chart_canvas.py); the printed summary
embeds the same Figure as a PNG at 200+ dpi (or SVG). Every number drawn comes from
`Progress.points`, the single computation of domain/progress.py.

Readable without colour: each score has its own Okabe-Ito colour *and* marker *and* line style;
after-session scores are hollow markers on a thin dotted line; stop-button and adverse-event
sessions have their own marker shapes in an event strip above the 0-10 scale.

Tests (and anyone else) can read what was plotted back with `plotted_series(fig)`: every data line
carries a gid such as ``"pain-before"`` or ``"tingling-after"``.
"""
from __future__ import annotations

import io
import math

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy

from decomp_desk.domain.progress import Progress
from decomp_desk.domain.records import record
from decomp_desk.domain.types import COUNTED_ADVERSE_EVENTS, SCORE_NAMES, SessionPoint


@record
class SeriesStyle:
    label: str
    color: str
    marker: str
    linestyle: object
    offset_pt: float  # a small sideways shift (points) so equal scores in one session do not hide each other


# Okabe-Ito vermillion, blue and black: apart for every common colour-vision deficiency (CIELAB distance
# over 55 between any two under simulated protanopia, deuteranopia and tritanopia; orange beside
# vermillion, as tingling once was, fell to 18 for deuteranopia) and in lightness in grayscale; marker
# and line style tell them apart on a black-and-white printer too.
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
STYLES: dict[str, SeriesStyle] = {
    "pain": SeriesStyle("Pain", OKABE_ITO["vermillion"], "o", "-", -3.5),
    "numbness": SeriesStyle("Numbness", OKABE_ITO["blue"], "s", (0, (5, 2)), 0.0),
    "tingling": SeriesStyle("Tingling", OKABE_ITO["black"], "^", (0, (6, 2, 1.5, 2)), 3.5),
}
STOP_STYLE = dict(marker="8", color="#333333", markerfacecolor="#333333", markersize=8)
ADVERSE_STYLE = dict(marker="X", color=OKABE_ITO["reddish_purple"], markerfacecolor=OKABE_ITO["reddish_purple"],
                     markeredgecolor="#000000", markeredgewidth=0.6, markersize=9)
GRID_COLOR = "#D9D9D9"
TEXT_COLOR = "#222222"

EVENT_ROW_Y = 11.25  # the strip above the 0-10 scale where session events are marked
Y_LIMITS = (-0.4, 12.0)
EMPTY_MESSAGE = "No sessions recorded yet"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def progress_figure(progress: Progress, *, width: float = 7.5, height: float = 3.6) -> Figure:
    """A new Figure (inches) of the course's pain, numbness and tingling, session by session."""
    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    draw_progress(fig, progress)
    return fig


def draw_progress(fig: Figure, progress: Progress) -> None:
    """Clear `fig` and draw the progress chart into it (the desk redraws its canvas's Figure)."""
    fig.clear()
    fig._decomp_shape = None
    fig.set_facecolor("white")
    ax = fig.add_subplot()
    points = progress.points
    if not points:
        _draw_empty(ax)
        return
    n = len(points)
    numbers = [p.number for p in points]

    stops = [p for p in points if p.stop_button]
    adverse = [p for p in points if _counted_adverse(p)]
    ax.set_xlim(0.4, n + 0.6)
    ax.set_yticks(range(0, 11))
    ax.grid(axis="y", color=GRID_COLOR, linewidth=0.6)
    ax.set_axisbelow(True)
    if stops or adverse:  # a shaded row above 10 holds the event marks; without events it would be an empty band
        ax.set_ylim(*Y_LIMITS)
        ax.axhspan(10.5, Y_LIMITS[1], color="#F4F4F4", zorder=0, linewidth=0)
    else:
        ax.set_ylim(Y_LIMITS[0], 10.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=TEXT_COLOR, labelsize=8)
    ax.set_ylabel("Score (0 = none, 10 = worst)", fontsize=8.5, color=TEXT_COLOR)
    ax.set_xlabel("Session", fontsize=8.5, color=TEXT_COLOR)
    _session_ticks(ax, points, fig.get_figwidth())

    small = n <= 20  # a long course gets smaller markers, thinner lines and a smaller sideways shift
    has_after = any(p.after is not None for p in points)
    # After-session scores are hollow markers, each joined to its own before-session score by a thin
    # stroke (the session's relief): no second set of lines that breaks at every session without them
    # and criss-crosses the trend at 30 sessions.
    for name in SCORE_NAMES:
        st = STYLES[name]
        # x stays the session number; the shift is a display offset, so plotted_series reads it back exactly
        shifted = offset_copy(ax.transData, fig=fig, x=st.offset_pt * (1 if small else 0.6), y=0, units="points")
        width = (1.9 if name == "pain" else 1.5) * (1 if small else 0.85)
        ax.plot(numbers, [getattr(p.before, name) for p in points], gid=f"{name}-before", label=st.label,
                color=st.color, marker=st.marker, linestyle=st.linestyle, linewidth=width,
                markersize=6 if small else 4.5, markeredgecolor="white", markeredgewidth=0.7, zorder=4,
                clip_on=False, transform=shifted)
        if has_after:  # NaN where a session has no after-session scores: nothing drawn, nothing made up
            after = [getattr(p.after, name) if p.after is not None else math.nan for p in points]
            ax.plot(numbers, after, gid=f"{name}-after", label="_after", color=st.color, marker=st.marker,
                    linestyle="none", markersize=5.5 if small else 4.2,
                    markerfacecolor="white", markeredgewidth=1.1, zorder=3, clip_on=False,
                    transform=shifted)

    baseline = progress.baseline.pain
    ax.axhline(baseline, gid="baseline-pain", color=STYLES["pain"].color, linestyle=(0, (1, 2.5)),
               linewidth=1.1, alpha=0.9, zorder=2)
    ax.annotate(f"baseline pain {baseline}", xy=(1.0, baseline), xycoords=("axes fraction", "data"),
                xytext=(-2, 2.5), textcoords="offset points", ha="right", va="bottom", fontsize=7.5,
                color=STYLES["pain"].color, gid="baseline-label",
                bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85))

    _draw_marks(fig, ax, points)
    _legend(fig, points, bool(stops), bool(adverse))
    fig._decomp_shape = chart_shape(progress)  # what update_progress may keep


def chart_shape(progress: Progress) -> tuple:
    """What fixes the chart's layout: the legend's entries, the event strip, the line widths and the form
    of the session labels. Two courses of one shape differ only in what update_progress redraws in place."""
    points = progress.points
    if not points:
        return ("empty",)
    return (len(points) <= 20, any(p.after is not None for p in points), any(p.stop_button for p in points),
            any(_counted_adverse(p) for p in points), points[0].date.year != points[-1].date.year)


MARK_GIDS = ("relief", "stop-button", "adverse-event", "event-line")  # the marks drawn afresh on every update


def update_progress(fig: Figure, progress: Progress) -> bool:
    """Put `progress` into the chart `fig` already shows, in place: the score lines get new data, the
    few marks that come and go (relief strokes, stop-button and adverse-event marks) are drawn again, and
    the layout is kept: about two and a half times quicker than a new figure (constrained layout and new
    text are most of matplotlib's time). False, with nothing changed, when the chart's shape differs
    (chart_shape): the caller then draws it anew with draw_progress."""
    shape = chart_shape(progress)
    if getattr(fig, "_decomp_shape", None) != shape or not fig.axes or shape == ("empty",):
        return False
    ax = fig.axes[0]
    points = progress.points
    numbers = [p.number for p in points]
    artists = {a.get_gid(): a for a in ax.get_children() if a.get_gid()}
    for name in SCORE_NAMES:
        artists[f"{name}-before"].set_data(numbers, [getattr(p.before, name) for p in points])
        if f"{name}-after" in artists:
            artists[f"{name}-after"].set_data(
                numbers, [getattr(p.after, name) if p.after is not None else math.nan for p in points])
    baseline = progress.baseline.pain
    artists["baseline-pain"].set_ydata([baseline, baseline])
    label = artists["baseline-label"]
    label.set_text(f"baseline pain {baseline}")
    label.xy = (1.0, baseline)
    for artist in [a for a in ax.get_children() if (a.get_gid() or "").removesuffix("-paired").endswith(MARK_GIDS)]:
        artist.remove()
    _draw_marks(fig, ax, points)
    ax.set_xlim(0.4, len(points) + 0.6)
    _session_ticks(ax, points, fig.get_figwidth())
    return True


def changing_artists(fig: Figure) -> list:
    """What update_progress changes, in drawing order: the x axis (a tick and label per session) and the
    artists of the course's own data. The rest (the scale, grid, event strip, axis labels and legend)
    stays as draw_progress drew it for the chart's shape."""
    ax = fig.axes[0]
    moving = [a for a in ax.get_children() if _changes(a.get_gid())]
    return [ax.xaxis, *sorted(moving, key=lambda a: a.get_zorder())]


def _changes(gid: str | None) -> bool:
    if not gid:
        return False
    gid = gid.removesuffix("-paired")
    return gid in ("baseline-pain", "baseline-label") or gid.endswith(("-before", "-after", *MARK_GIDS))


def _draw_marks(fig: Figure, ax, points: tuple[SessionPoint, ...]) -> None:
    """Each session's relief (a stroke from its before- to its after-session score), and the stop-button
    and adverse-event marks in the strip above the scale."""
    small = len(points) <= 20
    for name in SCORE_NAMES:
        joined = [(p.number, getattr(p.before, name), getattr(p.after, name)) for p in points
                  if p.after is not None and getattr(p.after, name) != getattr(p.before, name)]
        if joined:
            st = STYLES[name]
            shifted = offset_copy(ax.transData, fig=fig, x=st.offset_pt * (1 if small else 0.6), y=0, units="points")
            xs, lows, highs = zip(*joined)
            ax.vlines(xs, lows, highs, colors=st.color, linewidth=0.9, alpha=0.6, zorder=2,
                      gid=f"{name}-relief", transform=shifted)
    stops = [p for p in points if p.stop_button]
    adverse = [p for p in points if _counted_adverse(p)]
    both = {p.number for p in stops} & {p.number for p in adverse}
    # a session with both gets its two marks side by side (shifted in points, the data stays exact)
    marks = (("stop-button", stops, STOP_STYLE, -1), ("adverse-event", adverse, ADVERSE_STYLE, 1))
    for gid, events, style, sign in marks:
        if not events:
            continue
        for paired in (False, True):
            chosen = [p.number for p in events if (p.number in both) == paired]
            if not chosen:
                continue
            transform = offset_copy(ax.transData, fig=fig, x=sign * 5.5, units="points") if paired else ax.transData
            ax.plot(chosen, [EVENT_ROW_Y] * len(chosen), linestyle="none", gid=gid if not paired else f"{gid}-paired",
                    zorder=5, transform=transform, **style)
    for number in sorted({p.number for p in stops} | {p.number for p in adverse}):
        _event_line(ax, number)


def _event_line(ax, number: int) -> None:
    ax.axvline(number, ymax=(EVENT_ROW_Y - Y_LIMITS[0]) / (Y_LIMITS[1] - Y_LIMITS[0]), color="#9A9A9A",
               linewidth=0.7, linestyle=(0, (2, 2)), zorder=1, gid="event-line")


def _counted_adverse(p: SessionPoint) -> bool:
    return any(e in COUNTED_ADVERSE_EVENTS for e in p.adverse_events)


def _draw_empty(ax) -> None:
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.text(0.5, 0.5, EMPTY_MESSAGE, ha="center", va="center", fontsize=13, color="#555555",
            transform=ax.transAxes, gid="empty-message")


def short_date(d) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}"


def _session_ticks(ax, points: tuple[SessionPoint, ...], fig_width: float) -> None:
    """A tick for every session; labels ("3\\nMar 9") thinned so they never collide."""
    n = len(points)
    spans_years = points[0].date.year != points[-1].date.year
    max_labels = max(4, int(fig_width / 0.55))
    step = 1 if n <= max_labels else math.ceil(n / max_labels)
    shown = set(range(1, n + 1, step))
    last_shown = max(shown)
    if n not in shown:
        if n - last_shown < step and last_shown != 1:
            shown.discard(last_shown)
        shown.add(n)
    labels = []
    for p in points:
        if p.number in shown:
            day = short_date(p.date) + (f" '{p.date.year % 100:02d}" if spans_years else "")
            labels.append(f"{p.number}\n{day}")
        else:
            labels.append("")
    ax.set_xticks([p.number for p in points], labels)
    for tick, label in zip(ax.xaxis.get_major_ticks(), labels):
        if not label:
            tick.tick1line.set_markersize(2)


def _legend(fig: Figure, points, has_stop: bool, has_adverse: bool) -> None:
    handles = [Line2D([], [], color=STYLES[n].color, marker=STYLES[n].marker, linestyle=STYLES[n].linestyle,
                      linewidth=1.9 if n == "pain" else 1.5, markersize=6, markeredgecolor="white",
                      label=STYLES[n].label) for n in SCORE_NAMES]
    if any(p.after is not None for p in points):
        handles.append(Line2D([], [], color="#555555", marker="o", markerfacecolor="white", markeredgewidth=1.1,
                              linestyle="none", label="After session (hollow)"))
    handles.append(Line2D([], [], color=STYLES["pain"].color, linestyle=(0, (1, 2.5)), linewidth=1.1,
                          label="Baseline pain (session 1)"))
    if has_stop:
        handles.append(Line2D([], [], linestyle="none", label="Stop button pressed", **STOP_STYLE))
    if has_adverse:
        handles.append(Line2D([], [], linestyle="none", label="Adverse event", **ADVERSE_STYLE))
    ncol = 4 if len(handles) > 6 else min(len(handles), 3)
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol, frameon=False, fontsize=8,
               handlelength=3.2, columnspacing=1.6, labelcolor=TEXT_COLOR)


# --- reading the chart back -------------------------------------------------------------------------

def plotted_series(fig: Figure) -> dict[str, list[tuple[int, float]]]:
    """What the chart shows, by gid: {"pain-before": [(session number, score), ...], "stop-button": ...}.

    Missing after-session scores (NaN gaps) are left out; x is rounded back to the session number.
    """
    out: dict[str, list[tuple[int, float]]] = {}
    for ax in fig.axes:
        for line in ax.get_lines():
            gid = line.get_gid()
            if not gid or gid == "event-line":
                continue
            xs, ys = line.get_xdata(), line.get_ydata()
            if gid == "baseline-pain":
                out[gid] = [(0, float(ys[0]))]
                continue
            key = gid.removesuffix("-paired")
            out.setdefault(key, []).extend(
                (int(round(float(x))), float(y)) for x, y in zip(xs, ys) if not math.isnan(float(y)))
    for key in ("stop-button", "adverse-event"):
        if key in out:
            out[key].sort()
    return out


# --- export ------------------------------------------------------------------------------------------

def figure_png(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG bytes (the pHYs chunk records `dpi`, so a page can show it at its true size)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def figure_svg(fig: Figure) -> bytes:
    """The figure as SVG (vector), text kept as text."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", facecolor="white")
    return buf.getvalue()
