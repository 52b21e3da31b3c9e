"""The Making Data Count variation and assurance icons, drawn as small inline SVG.

Drawn here from their published meaning (no downloaded artwork): a circle in the
colour of the finding with a short run of points inside. Variation: grey for common
cause, blue for special cause improvement, orange for concern, purple for a neutral
KPI, with **H** or **L** for a high or low signal. Assurance: a run of points about a
red target line, blue with **P** when the target is consistently passed, orange with
**F** when consistently failed, grey with **?** when it is hit and miss. Each icon has
a ``<title>`` so a screen reader announces it; the colours are those of
NHSRplotthedots' ``ptd_spc_colours``.

References:
    NHS England and NHS Improvement. Making Data Count: getting started (2019), the
    icon key. https://www.england.nhs.uk/publication/making-data-count/
"""

from __future__ import annotations

from html import escape

GREY, BLUE, ORANGE, PURPLE, RED = "#a6a6a6", "#00b0f0", "#e46c0a", "#490092", "#de1b1b"
VARIATION = {
    "common_cause": (GREY, "", "Common cause variation"),
    "improvement_high": (BLUE, "H", "Special cause variation: improvement, high"),
    "improvement_low": (BLUE, "L", "Special cause variation: improvement, low"),
    "concern_high": (ORANGE, "H", "Special cause variation: concern, high"),
    "concern_low": (ORANGE, "L", "Special cause variation: concern, low"),
    "neutral_high": (PURPLE, "H", "Special cause variation: neither, high"),
    "neutral_low": (PURPLE, "L", "Special cause variation: neither, low"),
}
ASSURANCE = {
    "pass": (BLUE, "P", "Assurance: the target is consistently met"),
    "fail": (ORANGE, "F", "Assurance: the target is consistently missed"),
    "inconsistent": (GREY, "?", "Assurance: the target is hit and miss"),
}
FLAT = (0, 0, 0, 0, 0, 0, 0)
RISING, FALLING = (0, 0, 0, 1, 2, 3, 4), (0, 0, 0, -1, -2, -3, -4)


def _frame(colour: str, label: str, title: str, size: int) -> tuple[str, str]:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 100 100" role="img" class="spc-icon">'
        f"<title>{escape(title)}</title>"
        f'<circle cx="50" cy="50" r="46" fill="#ffffff" stroke="{colour}" stroke-width="7"/>'
    )
    letter = (
        f'<text x="50" y="{40 if label in "HL" else 42}" text-anchor="middle" '
        f'font-family="Arial, sans-serif" font-size="30" font-weight="bold" '
        f'fill="{colour}">{escape(label)}</text>'
        if label
        else ""
    )
    return head, letter


def _points(shape: tuple[int, ...], colour: str, special: int, y0: float) -> str:
    """Seven points; the last ``special`` in ``colour``, the others grey."""
    out = []
    for i, rise in enumerate(shape):
        fill = colour if i >= len(shape) - special else GREY
        out.append(
            f'<circle cx="{20 + i * 10}" cy="{y0 - rise * 5}" r="4" fill="{fill}"/>'
        )
    return "".join(out)


def variation_icon(name: str, size: int = 48) -> str:
    """The variation icon ``name`` (``common_cause``, ``improvement_high``, ...) as SVG."""
    colour, label, title = VARIATION[name]
    head, letter = _frame(colour, label, title, size)
    if name == "common_cause":
        body = _points((0, 1, -1, 0, 1, -1, 0), GREY, 0, 55)
    else:
        body = _points(
            RISING if name.endswith("high") else FALLING,
            colour,
            4,
            68 if name.endswith("high") else 58,
        )
    return head + letter + body + "</svg>"


def assurance_icon(name: str, size: int = 48) -> str:
    """The assurance icon ``name`` (``pass``, ``fail``, ``inconsistent``) as SVG."""
    colour, label, title = ASSURANCE[name]
    head, letter = _frame(colour, label, title, size)
    target_y = {"pass": 78, "fail": 52, "inconsistent": 66}[name]
    line = f'<line x1="14" y1="{target_y}" x2="86" y2="{target_y}" stroke="{RED}" stroke-width="3"/>'
    wobble = (0, 1, -1, 0, 1, -1, 0)
    body = _points(wobble, colour if name != "inconsistent" else GREY, 0, 66)
    return head + letter + line + body + "</svg>"
