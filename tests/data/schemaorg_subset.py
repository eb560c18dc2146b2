"""schemaorg-current-https.jsonld (a release of github:schemaorg/schemaorg) → tests/data/schemaorg-subset.json: the
types the site's ClaimReview uses with their supertypes, the data types, and every property those types may carry.

    python tests/data/schemaorg_subset.py PATH/data/releases/30.0/schemaorg-current-https.jsonld 30.0 COMMIT
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

USED = ["ClaimReview", "Claim", "CreativeWork", "NewsArticle", "SocialMediaPosting", "Organization", "Person",
        "Rating", "WebPage"]  # WebPage: a range of archivedAt, beside URL


def ids(value) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [i["@id"].removeprefix("schema:") for i in items]


def subset(graph: list[dict]) -> dict:
    nodes = {n["@id"].removeprefix("schema:"): n for n in graph if n["@id"].startswith("schema:")}
    kinds = lambda n: n.get("@type") if isinstance(n.get("@type"), list) else [n.get("@type")]  # noqa: E731
    data = {k for k, n in nodes.items() if "schema:DataType" in kinds(n)}
    while True:  # URL is a Text, Integer a Number: data types too
        more = {k for k, n in nodes.items() if set(ids(n.get("rdfs:subClassOf"))) & data} - data
        if not more:
            break
        data |= more
    datatypes = sorted(data)
    types, todo = {}, list(USED) + datatypes
    while todo:
        name = todo.pop()
        if name in types or name not in nodes:
            continue
        types[name] = sorted(p for p in ids(nodes[name].get("rdfs:subClassOf")) if p in nodes)
        todo += types[name]
    properties = {}
    for name, n in nodes.items():
        if n.get("@type") == "rdf:Property" and set(ids(n.get("schema:domainIncludes"))) & set(types):
            properties[name] = {"domain": sorted(ids(n.get("schema:domainIncludes"))),
                                "range": sorted(ids(n.get("schema:rangeIncludes")))}
    return {"types": dict(sorted(types.items())), "datatypes": datatypes, "properties": dict(sorted(properties.items()))}


if __name__ == "__main__":
    path, version, commit = sys.argv[1:4]
    out = {"source": f"github:schemaorg/schemaorg data/releases/{version}/schemaorg-current-https.jsonld",
           "version": version, "commit": commit, **subset(json.loads(Path(path).read_text("utf-8"))["@graph"])}
    Path(__file__).with_name("schemaorg-subset.json").write_text(json.dumps(out, indent=1) + "\n", "utf-8")
