"""Helpers for testing rules: ``# expect: CODE[,CODE]`` markers as the oracle."""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from typing import Counter as CounterT, Tuple

EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")

Expectation = CounterT[Tuple[int, str]]


def expected_findings(text: str) -> Expectation:
    """(line, code) pairs marked in ``text``, counted (a code may be marked twice).

    Markers are read from comments, so a marker inside a string does not
    count; for a file that does not tokenize, from each physical line.
    """
    expected: Expectation = Counter()
    try:
        comments = [
            (token.start[0], token.string)
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        comments = list(enumerate(text.splitlines(), 1))
    for line, comment in comments:
        match = EXPECT.search(comment)
        if match:
            for code in match.group("codes").split(","):
                expected[(line, code.strip())] += 1
    return expected
