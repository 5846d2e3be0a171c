"""Output formats. A reporter turns a run's results into text; it knows no rules."""

from __future__ import annotations

from typing import Callable, Dict, Iterable

from leaklint.reporters import github, grouped, json_format, sarif, text
from leaklint.batch.runner import RunResult

Reporter = Callable[[RunResult, bool], Iterable[str]]

# format name -> reporter(result, show_source) yielding output lines
REPORTERS: Dict[str, Reporter] = {
    "text": text.render,
    "grouped": grouped.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
}
