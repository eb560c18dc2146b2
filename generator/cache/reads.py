"""Article fields → properties that note each read (`Reads`, `words()`), and what a key leaves out (`hiding`)."""
from __future__ import annotations

from functools import lru_cache


class Reads:
    """Which groups of an article's words (`words()`: its text; the text just around each passage) were read since
    `shown` was last emptied. A page that read none while it was rendered would render the same with any other
    text, so its key is that of its context without them, and one that read some, the key with those alone. So an
    edit of one article's text renders again only the pages that show it (its own page, the feed if it is among the
    latest, and when the edit stands beside a passage, the open data that gives each passage's context): not the
    30-odd pages that hold it. Every read is seen, whatever reads: a
    template, a filter, `derive`, `repr`, an equality test, as the fields `words()` names are properties over
    the dataclasses' slots (`_noted`)."""

    shown: set[str] = set()


def _noted(cls: type, name: str, group: str) -> property:
    slot = cls.__dict__[name]  # the slot's descriptor, as `dataclass(slots=True)` made it

    def read(self):
        Reads.shown.add(group)
        return slot.__get__(self, cls)

    return property(read, slot.__set__, doc=f"{cls.__name__}.{name}, each read noted in `Reads`")


@lru_cache(maxsize=1)
def words() -> dict[str, dict[type, tuple[str, ...]]]:
    """The fields an edit of an article's text changes when it leaves its passages as they are, in groups: the
    text itself, and what stands just before and after each passage (its W3C selector's `prefix` and `suffix`).
    Each read of them is noted from the first call on (the model is imported here, not when the cache is: "up
    to date" needs neither)."""
    from ..model import Annotation, Article
    found = {"text": {Article: ("body", "text")}, "context": {Annotation: ("prefix", "suffix")}}
    for group, kinds in found.items():
        for kind, names in kinds.items():
            for name in names:
                setattr(kind, name, _noted(kind, name, group))
    return found


def hiding(shown) -> dict[type, tuple[str, ...]]:
    """The fields `words()` names, but for those of the groups `shown`: what a fingerprint leaves out."""
    hidden: dict[type, tuple[str, ...]] = {}
    for group, kinds in words().items():
        for kind, names in kinds.items():
            if group not in shown:
                hidden[kind] = hidden.get(kind, ()) + names
    return hidden
