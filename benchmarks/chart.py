"""Draw results.png for run.py: a horizontal bar per command, median wall time.

Run by run.py with the peers venv's Python, where matplotlib is installed:
    python chart.py DATA.json OUT.png
DATA.json: {"title": str, "rows": [{"label", "tool", "median", "min", "max"}, ...]}
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402

LEAKLINT_COLOR, PEER_COLOR = "#1f77b4", "#999999"
# Above this spread between the fastest and slowest command a linear axis
# squeezes the fast ones into invisible slivers.
LOG_SCALE_SPREAD = 20


def draw(data: dict, out: str) -> None:
    rows = data["rows"]
    medians = [row["median"] for row in rows]
    below = [row["median"] - row["min"] for row in rows]
    above = [row["max"] - row["median"] for row in rows]
    colors = [LEAKLINT_COLOR if row["tool"] == "leaklint" else PEER_COLOR for row in rows]

    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.4 * len(rows)))
    positions = range(len(rows))
    ax.barh(positions, medians, xerr=[below, above], color=colors, capsize=3)
    ax.set_yticks(list(positions), [row["label"] for row in rows])
    ax.invert_yaxis()  # first command on top, as in the table
    if max(medians) / max(min(medians), 1e-9) > LOG_SCALE_SPREAD:
        ax.set_xscale("log")
    for position, median in zip(positions, medians):
        ax.annotate(f" {median:.3g} s", (median, position), va="center", fontsize=8)
    ax.set_xlabel("median wall time, seconds (whiskers: min–max)")
    ax.set_title(data["title"], fontsize=10)
    ax.margins(x=0.15)
    fig.tight_layout()
    fig.savefig(out, dpi=120)


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        draw(json.load(handle), sys.argv[2])
