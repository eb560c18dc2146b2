"""A refused edit's Problems (the build's PATH:LINE: messages, in English) → the panel's words in the site's language.

The terminal and `check` keep the English messages; the panel shows each problem it can cause in the site's
language (`panel_error_*` strings), with its PATH:LINE, and any other as the build says it after a sentence
in the site's language. A quote not found comes with its closest passage, which the panel offers to use.
"""
from __future__ import annotations

import ast
import re

from ..errors import Problem

_TEXT = r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"  # a Python repr of a string, as the messages show values
KNOWN = (  # (the string's key, the message's pattern); the pattern's groups fill the string
    ("not_found", re.compile(rf"quote not found in the article's text: (?P<quote>{_TEXT})")),
    ("ambiguous", re.compile(rf"ambiguous quote, found (?P<count>\d+) times in the article's text: "
                             rf"(?P<quote>{_TEXT})")),
    ("occurrence", re.compile(rf"'occurrence: \d+' asked, but the quote is found (?P<count>\d+) times: "
                              rf"(?P<quote>{_TEXT})")),
    ("unknown_actor", re.compile(rf"unknown actor (?P<slug>{_TEXT})")),
    ("unknown_claim", re.compile(rf"unknown claim (?P<slug>{_TEXT})")),
    ("claim_exists", re.compile(rf"a claim (?P<slug>{_TEXT}) exists already")),
    ("actor_exists", re.compile(rf"an actor (?P<slug>{_TEXT}) exists already")),
    ("no_slug", re.compile(rf"no slug can be made from the (?:title|name) (?P<name>{_TEXT})")),
    ("gone", re.compile(rf"no annotation with the anchor (?P<slug>{_TEXT}) here any more")),
)


def _value(text: str) -> str:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def explain(problem: Problem, strings: dict[str, str]) -> dict:
    """{"text": the problem in the site's language, with its PATH:LINE, "closest": a passage to use, or ""}."""
    closest = problem.suggestion if problem.message.startswith("quote not found") else None
    for key, pattern in KNOWN:
        m = pattern.match(problem.message)
        template = strings.get(f"panel_error_{key}")
        if m and template:
            values = {k: _value(v) for k, v in m.groupdict().items()}
            hint = problem.suggestion if key.startswith("unknown_") else None
            values["hint"] = f" ({_fill(strings.get('panel_did_you_mean', '{slug}?'), {'slug': hint})})" if hint else ""
            return {"text": f"{problem.src}: {_fill(template, values)}", "closest": closest or ""}
    other = strings.get("panel_error_other", "{message}")
    return {"text": f"{problem.src}: {_fill(other, {'message': problem.message})}", "closest": closest or ""}


def _fill(template: str, values: dict[str, str]) -> str:
    """`template` with each {key} replaced (str.format would read braces inside the values)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)
