"""The one error type of the core, and the limits that guard it.

Errors are terse where they are raised (a message, a hint, a position) and are
made rich at the boundary: `SpecError.render(text)` shows the offending line of
the fence with a caret under it.  Positions are 1-based (line, column) inside
the text the error is about; sub-languages (expressions, element expressions)
raise positions relative to their own string and the spec layer moves them into
the fence with `SpecError.at_offset`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence


class SpecError(ValueError):
    """A spec, expression, data file or URL that cannot become a figure.

    Attributes:
        message: what is wrong, in one sentence.
        hint: how to fix it (valid values, the nearest match, an example).
        line, column: 1-based position inside the fence text (or the
            expression text for errors raised by the sub-languages); None when
            the error is not about one place.  For a spec given as a mapping
            (Python, URL state, live editing) there is no fence text: ``line``
            is None and ``column`` is inside the text of ``field``.
        length: how many characters the caret should underline.
        field: dotted path of the spec field (``nodes.Q.shape``, ``anim.alg``)
            or URL field the error is about, for errors without a text
            position (URL state, mm links, Python mappings).
    """

    def __init__(
        self,
        message: str,
        hint: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        length: int = 1,
        field: Optional[str] = None,
    ) -> None:
        self.message = message
        self.hint = hint
        self.line = line
        self.column = column
        self.length = max(1, int(length))
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.field:
            where.append(self.field)
        if self.line is not None:
            where.append("line %d, column %d" % (self.line, self.column or 1))
        elif self.column is not None:  # a column inside the field's own text
            where.append("column %d" % self.column)
        text = ("%s: %s" % (", ".join(where), self.message)) if where else self.message
        if self.hint:
            text += "\nhint: " + self.hint
        return text

    def __reduce__(self):  # keep pickling (multiprocessing, hypothesis) working
        return (
            _rebuild_error,
            (self.message, self.hint, self.line, self.column, self.length, self.field),
        )

    def at_offset(self, line: int, column: int, field: Optional[str] = None) -> SpecError:
        """Return this error moved into an enclosing text.

        ``line``/``column`` give where this error's text starts in the
        enclosing text (1-based).  An error on the first line of the inner text
        is shifted by ``column - 1``; later lines keep their column.
        """
        if self.line is None:
            new_line, new_col = line, column
        elif self.line == 1:
            new_line, new_col = line, column + (self.column or 1) - 1
        else:
            new_line, new_col = line + self.line - 1, self.column
        return SpecError(
            self.message,
            self.hint,
            new_line,
            new_col,
            self.length,
            field if field is not None else self.field,
        )

    def with_field(self, field: str) -> SpecError:
        """Return this error naming ``field`` (kept if it already names one)."""
        if self.field:
            return self
        return SpecError(self.message, self.hint, self.line, self.column, self.length, field)

    def render(self, text: str) -> str:
        """The message with the offending line of ``text`` and a caret under it."""
        out = [str(self).split("\nhint: ")[0]]
        lines = text.splitlines()
        if self.line is not None and 1 <= self.line <= len(lines):
            src = lines[self.line - 1]
            col = max(1, min(self.column or 1, len(src) + 1))
            out.append("  " + src)
            out.append("  " + " " * (col - 1) + "^" * max(1, min(self.length, len(src) - col + 1)))
        if self.hint:
            out.append("hint: " + self.hint)
        return "\n".join(out)


def _rebuild_error(message, hint, line, column, length, field):
    return SpecError(message, hint, line, column, length, field)


@dataclass(frozen=True)
class Limits:
    """Caps that keep hostile or mistaken specs from hanging a build or a tab.

    Every limit is checked before the work it guards, and exceeding one is a
    `SpecError` naming the limit and how to raise it (plugin option / keyword).
    """

    max_elements: int = 4_000_000  # all matrices of a figure, leaves and results
    max_matmuls: int = 128  # matmul nodes in one expression
    max_dim: int = 65_536  # one side of one matrix
    max_text: int = 20_000  # characters of a fence / decoded URL state
    max_expr: int = 4_000  # characters of the `expr` field
    max_elem_expr: int = 1_000  # characters of an element expression
    max_name: int = 64  # characters of one node name
    max_depth: int = 64  # nesting of parentheses / calls in any expression
    max_url: int = 65_536  # characters of an encoded URL fragment or mm link
    max_svd_elements: int = 1_048_576  # a matrix whose singular values are read out


DEFAULT_LIMITS = Limits()


def did_you_mean(word: str, choices: Sequence[str]) -> Optional[str]:
    """A hint naming the closest of ``choices`` to ``word``, or listing them."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return "did you mean %r?" % close[0]
    if len(choices) <= 12:
        return "expected one of: " + ", ".join(sorted(choices))
    return None
