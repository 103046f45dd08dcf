"""Server-drawn charts: geometry for an inline SVG, so no chart library or script is needed."""

WIDTH = 600
HEIGHT = 180
TOP = 16
BOTTOM = 22  # room for the date labels


def activity_chart(days: list[dict]) -> dict:
    """Bars for answered (and, inside them, correct) per day; labels every 7th day."""
    peak = max([day["answered"] for day in days] + [1])
    slot = WIDTH / max(len(days), 1)
    bar = max(slot * 0.7, 1)
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for position, day in enumerate(days):
        answered_h = usable * day["answered"] / peak
        correct_h = usable * day["correct"] / peak
        x = position * slot + (slot - bar) / 2
        bars.append(
            {
                "x": round(x, 1),
                "width": round(bar, 1),
                "answered_y": round(TOP + usable - answered_h, 1),
                "answered_h": round(answered_h, 1),
                "correct_y": round(TOP + usable - correct_h, 1),
                "correct_h": round(correct_h, 1),
                "label": day["date"].strftime("%b %-d") if position % 7 == 0 else "",
                "label_x": round(x if position == 0 else x + bar / 2, 1),
                "label_anchor": "start" if position == 0 else "middle",  # the first label must not be cut off
                "day": day,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": HEIGHT - BOTTOM,
        "label_y": HEIGHT - 6,
        "peak": peak,
        "bars": bars,
        "total_answered": sum(day["answered"] for day in days),
        "total_correct": sum(day["correct"] for day in days),
        "active_days": sum(1 for day in days if day["answered"]),
    }
