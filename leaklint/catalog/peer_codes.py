"""Peer linters' codes that flag the same problem as a leaklint rule.

A suppression written for one of these codes on the line leaklint reports
(``# noqa: SIM115``, ``# pylint: disable=consider-using-with``) also silences
the matching leaklint rules, so a code base that already ran the peer needs no
new comments. The table is deliberately narrow: a peer code is listed only
where a reader who silenced it has already accepted what the leaklint rule
reports, at the same place.

- ruff / flake8-simplify SIM115 (open a file without a context manager) and
  pylint R1732 consider-using-with flag resource-opening calls that are not in
  a ``with``: the call LL301 (not closed), LL302 (not closed on error) and LL303
  (never bound) report. pylint's check also covers ``lock.acquire()``, LL308.
  Not LL305: a resource stored on ``self`` is meant to outlive a ``with``, and
  LL305 reports that nothing ever releases it, which neither peer checks.
- flake8-bugbear / ruff B019 (``functools.cache``/``lru_cache`` on a method)
  and pylint W1518 method-cache-max-size-none flag the decorator LL104 reports.
- flake8-bugbear / ruff B006 and pylint W0102 dangerous-default-value flag a
  mutable default argument because it persists changes between calls; LL106
  reports such a default (at the same position) when the function does grow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Tuple

_RESOURCE_RULES = ("LL301", "LL302", "LL303")


@dataclass(frozen=True)
class PeerCode:
    """One peer check: its tools, its code (and pylint symbol), the leaklint rules it covers."""

    tools: str
    code: str
    symbol: str  # pylint's message name; the rule's name elsewhere (documentation only)
    leaklint: Tuple[str, ...]
    pylint: bool = False  # written as ``# pylint: disable=...`` rather than ``# noqa: ...``


PEER_CODES: Tuple[PeerCode, ...] = (
    PeerCode("ruff, flake8-simplify", "SIM115", "open-file-with-context-handler", _RESOURCE_RULES),
    PeerCode("pylint", "R1732", "consider-using-with", (*_RESOURCE_RULES, "LL308"), pylint=True),
    PeerCode("ruff, flake8-bugbear", "B019", "cached-instance-method", ("LL104",)),
    PeerCode("pylint", "W1518", "method-cache-max-size-none", ("LL104",), pylint=True),
    PeerCode("ruff, flake8-bugbear", "B006", "mutable-argument-default", ("LL106",)),
    PeerCode("pylint", "W0102", "dangerous-default-value", ("LL106",), pylint=True),
)


def _table(entries: Iterable[Tuple[str, Tuple[str, ...]]]) -> Dict[str, FrozenSet[str]]:
    table: Dict[str, FrozenSet[str]] = {}
    for name, codes in entries:
        table[name] = table.get(name, frozenset()) | frozenset(codes)
    return table


# ``# noqa: CODE``: codes as written (upper case), matched exactly, not as prefixes.
NOQA_ALIASES: Dict[str, FrozenSet[str]] = _table(
    (peer.code, peer.leaklint) for peer in PEER_CODES if not peer.pylint
)

# ``# pylint: disable=NAME``: message ids and symbols, lower case (pylint accepts either).
PYLINT_ALIASES: Dict[str, FrozenSet[str]] = _table(
    (name.lower(), peer.leaklint) for peer in PEER_CODES if peer.pylint for name in (peer.code, peer.symbol)
)


def noqa_aliases(codes: Iterable[str]) -> FrozenSet[str]:
    """The leaklint codes that the peer codes among ``codes`` (upper case) silence."""
    return frozenset(code for name in codes for code in NOQA_ALIASES.get(name, ()))


def pylint_aliases(names: Iterable[str]) -> FrozenSet[str]:
    """The leaklint codes that pylint message names or ids silence."""
    return frozenset(code for name in names for code in PYLINT_ALIASES.get(name.lower(), ()))
