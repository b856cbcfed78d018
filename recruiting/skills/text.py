"""Text keys and the tokeniser shared by the taxonomy builder, the taxonomy and the matcher.

One definition of "the same name" lives here so that the build script's collision check and the
run-time lookups can never disagree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A word may carry internal dots (Node.js, ASP.NET, 3.11) and trailing + or # (C++, C#, A+); a leading dot
# is kept only before a letter and after a non-word character (.NET, C#/.NET). "/" and "&" are tokens of
# their own so that "CI/CD" and "CI / CD" tokenise alike while "Python/Django" still yields two words.
# Hyphens and apostrophes are not tokens: "front-end" is "front end" and "Python's" is "Python s".
_TOKEN_RE = re.compile(r"(?:(?<![\w.])\.(?=[^\W\d_]))?[^\W_]+(?:\.[^\W_]+)*[+#]*|[/&]")
_SQUASH_DROP_RE = re.compile(r"[^a-z0-9+#]+")


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a text: its key (folded) and where it sits in the original string."""

    key: str
    start: int
    end: int


def fold(text: str) -> str:
    """Case-fold and strip diacritics, so that "Māori", "MAORI" and "maori" compare equal."""
    if text.isascii():  # the common case, and ten times faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def squash(text: str) -> str:
    """The punctuation- and space-insensitive key of a name: "React.js", "ReactJS" and "react js" -> "reactjs"."""
    return squash_folded(fold(text))


def squash_folded(folded: str) -> str:
    """`squash` for text that is already folded (token keys)."""
    return _SQUASH_DROP_RE.sub("", folded)


def tokenize(text: str) -> list[Token]:
    """Split text into folded tokens with their character offsets."""
    return [Token(fold(m.group()), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def token_key(text: str) -> tuple[str, ...]:
    """The token sequence of a name, the key the matcher looks n-grams up by."""
    return tuple(token.key for token in tokenize(text))
