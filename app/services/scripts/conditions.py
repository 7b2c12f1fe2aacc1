"""The rule language of scripts: conditions on answers, evaluated with the reasons that made
them hold.

A condition is a small mapping, written in the script file:
- `{all: [...]}`, `{any: [...]}`, `{not: {...}}` combine others;
- `{q: ID, is: V}`, `{q: ID, in: [V, ...]}` test an answer; `{q: ID, has: V}`,
  `{q: ID, has_any: [...]}` and `{q: ID, count_at_least: N}` test a multiple-choice answer;
  `{q: ID, answered: true}` tests that there is an answer;
- `{result: ID}` and `{flag: ID}` (for suggested actions) test what the rules concluded.
Any condition may carry `reason` (said when it holds) and `unmet` (said when it does not, for
the result everyone else gets: "does not yet send attachments").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

TESTS = ("is", "in", "has", "has_any", "count_at_least", "answered")


@dataclass
class Verdict:
    held: bool
    reasons: list[str] = field(default_factory=list)  # why it holds
    unmet: list[str] = field(default_factory=list)  # why it does not


@dataclass(frozen=True)
class Facts:
    """What conditions are tested against: the answers that count, and the conclusions."""

    answers: Mapping[str, Any]
    result: str | None = None
    flags: frozenset[str] = frozenset()


def _test(cond: Mapping[str, Any], facts: Facts) -> bool:
    if "result" in cond:
        return bool(facts.result == cond["result"])
    if "flag" in cond:
        return cond["flag"] in facts.flags
    value = facts.answers.get(cond["q"])
    if "answered" in cond:
        return (value not in (None, "", [])) is bool(cond["answered"])
    if value is None:
        return False
    if "is" in cond:
        return bool(value == cond["is"])
    if "in" in cond:
        return value in cond["in"]
    chosen = value if isinstance(value, list) else [value]
    if "has" in cond:
        return cond["has"] in chosen
    if "has_any" in cond:
        return any(v in chosen for v in cond["has_any"])
    return len(chosen) >= int(cond["count_at_least"])


def evaluate(cond: Mapping[str, Any], facts: Facts) -> Verdict:
    """Whether `cond` holds, with the `reason`s of what held and the `unmet` of what did not."""
    if "all" in cond:
        parts = [evaluate(c, facts) for c in cond["all"]]
        verdict = Verdict(all(p.held for p in parts))
        if verdict.held:
            verdict.reasons = [r for p in parts for r in p.reasons]
        else:
            verdict.unmet = [u for p in parts if not p.held for u in p.unmet]
    elif "any" in cond:
        parts = [evaluate(c, facts) for c in cond["any"]]
        verdict = Verdict(any(p.held for p in parts))
        if verdict.held:
            verdict.reasons = [r for p in parts if p.held for r in p.reasons]
        else:
            verdict.unmet = [u for p in parts for u in p.unmet]
    elif "not" in cond:
        verdict = Verdict(not evaluate(cond["not"], facts).held)
    else:
        verdict = Verdict(_test(cond, facts))
    if verdict.held and cond.get("reason"):
        verdict.reasons = [cond["reason"], *verdict.reasons]
    if not verdict.held and cond.get("unmet"):
        verdict.unmet = [cond["unmet"]]
    return verdict


def nodes(cond: Mapping[str, Any], path: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    """Every condition inside `cond` (itself included), with its path inside the file."""
    yield cond, path
    for key in ("all", "any"):
        for i, part in enumerate(cond.get(key, [])):
            yield from nodes(part, f"{path}.{key}[{i}]")
    if "not" in cond:
        yield from nodes(cond["not"], f"{path}.not")


def conclusions(cond: Mapping[str, Any], path: str) -> list[tuple[str, str, str]]:
    """Every ("result" or "flag", id, path) a condition refers to."""
    return [(kind, node[kind], f"{where}.{kind}") for node, where in nodes(cond, path)
            for kind in ("result", "flag") if kind in node]  # fmt: skip


def leaves(cond: Mapping[str, Any], path: str) -> list[tuple[Mapping[str, Any], str]]:
    """Every test on an answer, with its path (for checks against the question it names)."""
    return [(node, where) for node, where in nodes(cond, path) if "q" in node]
