from django import template

from curriculum import mathtext

register = template.Library()


@register.filter
def math(text: str | None):
    """Content text as HTML with its \\(…\\) LaTeX as sanitised MathML (curriculum.mathtext)."""
    return mathtext.render(text)


@register.filter
def plain_math(text: str | None) -> str:
    """Content text with its LaTeX as plain characters (for short lists and e-mails)."""
    return mathtext.plain(text)
