"""Showing Syncro's text literally.

Text from Syncro is untrusted: a customer name or a comment may hold Rich
markup (``[bold red]``), ANSI escape sequences or other control characters.
Everything from Syncro reaches the screen through ``literal``: a Rich ``Text``
(never parsed as markup) with control characters replaced by their visible
Unicode pictures, so nothing can restyle, move the cursor or retitle the
terminal.
"""

from __future__ import annotations

from rich.text import Text

from ..domain.text import clean, html_to_text

__all__ = ["clean", "html_to_text", "literal", "palette_text"]


def literal(value: object, style: str = "", *, single_line: bool = True) -> Text:
    return Text(clean(value, single_line=single_line), style=style, no_wrap=single_line, end="")


def palette_text(value: object) -> str:
    """Syncro's text for the command palette, which reads its titles as markup: cleaned, then escaped."""
    from textual.markup import escape

    return escape(clean(value))
