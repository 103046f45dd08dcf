"""Math in content: LaTeX between \\( and \\) in question texts, options and explanations, rendered on the
server to MathML (latex2mathml; every current browser renders MathML) and sanitised (nh3, a MathML-only
allowlist: no script, no event handler, no link). Everything outside the delimiters is escaped text.
E-mails get plain text instead (`plain`).
"""

import html
import re

import latex2mathml.converter
import nh3
from django.utils.safestring import SafeString, mark_safe

MATH = re.compile(r"\\\((.+?)\\\)", re.S)

# Presentation MathML's elements, and the attributes that only change how they look.
MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "mfrac", "msqrt", "mroot", "msub", "msup",
    "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
    "menclose", "semantics", "annotation",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "math": {"display", "xmlns"},
    "*": {
        "mathvariant", "displaystyle", "scriptlevel", "stretchy", "fence", "separator", "lspace", "rspace",
        "accent", "accentunder", "linethickness", "columnalign", "rowalign", "columnspacing", "rowspacing",
        "width", "height", "depth", "notation", "form", "largeop", "movablelimits", "symmetric", "minsize",
        "maxsize", "encoding",
    },
}  # fmt: skip


def _mathml(latex: str) -> str:
    try:
        converted = latex2mathml.converter.convert(latex)
    except Exception:
        return html.escape(f"\\({latex}\\)")
    return nh3.clean(
        converted,
        tags=MATHML_TAGS,
        attributes=MATHML_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )


def render(text: str | None) -> SafeString:
    """The text as HTML: escaped, with each \\(…\\) as sanitised MathML."""
    text = text or ""
    parts, last = [], 0
    for match in MATH.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        parts.append(_mathml(match[1]))
        last = match.end()
    parts.append(html.escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped text or nh3-cleaned MathML


_PLAIN = [
    (re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}"), r"\1/\2"),
    (re.compile(r"\\sqrt\s*\{([^{}]*)\}"), r"√(\1)"),
    (re.compile(r"\^\{([^{}]*)\}"), r"^\1"),
    (re.compile(r"\\times"), "×"),
    (re.compile(r"\\div"), "÷"),
    (re.compile(r"\\cdot"), "·"),
    (re.compile(r"\\pi"), "π"),
    (re.compile(r"\\(left|right)"), ""),
    (re.compile(r"[{}]"), ""),
    (re.compile(r"\\"), ""),
]


def plain(text: str | None) -> str:
    """The text for an e-mail: each \\(…\\) written as plain characters (1/2, ×, √(2))."""

    def simplify(match: re.Match[str]) -> str:
        latex = match[1]
        for pattern, replacement in _PLAIN:
            latex = pattern.sub(replacement, latex)
        return " ".join(latex.split())

    return MATH.sub(simplify, text or "")
