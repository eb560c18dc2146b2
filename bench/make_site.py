"""A count N and a seed → a synthetic fact-check site of N articles (site.toml + content/) in bench/sites/N/.

    python bench/make_site.py [--articles 1000] [--out DIR] [--seed 1]

Same arguments, same files. Articles are 4-6 KB of Indonesian-like prose with
some *emphasis*, [links](...) and “curly quotes”; every sentence carries a
number unique in its article, so a quote built around it occurs exactly once.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from itertools import accumulate
from pathlib import Path

import yaml


def options(text: str) -> list[str]:
    return [w.strip() for w in text.split("|")]


SUBJECTS = options("""pemerintah|juru bicara kementerian|para pejabat|seorang analis|para pengamat|duta besar
|kantor berita|pasukan keamanan|dewan keamanan|para diplomat|sejumlah laporan|badan intelijen
|komandan militer|delegasi|warga""")
VERBS = options("""mengatakan|menegaskan|melaporkan|menyebutkan|mengklaim|mengungkapkan|membantah|mengakui
|memperkirakan|menilai|mencatat|menyatakan|menuding|memastikan|meragukan""")
NOUNS = options("""amunisi|senjata|rudal|peluru artileri|bantuan pangan|minyak mentah|teknologi satelit|pasokan
|kerja sama|latihan militer|sanksi|perjanjian|pertemuan|kunjungan|pelabuhan|perbatasan|kapal kargo
|gerbong kereta|pabrik|pasukan|pekerja|kontainer|jalur kereta|rancangan|dokumen|citra satelit
|pernyataan|kesepakatan|program nuklir""")
ADJECTIVES = options("""besar|baru|rahasia|strategis|resmi|terbatas|penting|militer|ekonomi|jangka panjang
|tambahan|lama""")
PLACES = options("""Pyongyang|Moskow|Seoul|Washington|Beijing|Vladivostok|Kyiv|Tokyo|Jakarta|Vostochny|Rason|Khasan
|Donetsk|Kursk|Laut Jepang|Semenanjung Korea|Timur Jauh Rusia|Dewan Keamanan PBB""")
LINKS = options("di|ke|dari|menuju|melalui|dekat")
TAILS = options("""dalam beberapa bulan terakhir|sejak awal tahun|menurut sumber yang tidak disebutkan namanya
|pekan lalu|di tengah perang yang berlanjut|tanpa bukti yang dapat diperiksa
|sebagai imbalan atas bantuan teknologi|meskipun ada larangan internasional
|menurut data yang dihimpun|setelah pertemuan tertutup""")
UNITS = options("unit|ton|orang|kontainer|butir|peluru|gerbong|personel|kilometer|kali")
ACTIONS = options("memasok|mengirim|menerima|membeli|menjual|membangun|menyembunyikan|menyelundupkan")
TOPICS = "senjata sanksi nuklir diplomasi ekonomi pangan energi perbatasan satelit pelabuhan".split()
SYLLABLES = "ba bu di do ha har ja ka ki ko la lu ma mi na ni pra ra ri sa si su ta ti to wa wi yu an in".split()
ORG_KINDS = ["government"] * 12 + ["organization"] * 6 + ["group", "media"]
ORG_PREFIX = {"government": "Republik", "organization": "Badan", "group": "Kelompok", "media": "Kantor Berita"}
ROLES = options("Menteri Luar Negeri|Juru Bicara|Duta Besar|Presiden|Analis|Direktur|Komandan|Peneliti Senior")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def make_name(rng: random.Random, taken: set[str], words: int = 2) -> str:
    """A pronounceable name whose slug nobody has yet."""
    while True:
        name = " ".join("".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).title() for _ in range(words))
        if slugify(name) not in taken:
            taken.add(slugify(name))
            return name


def make_date(rng: random.Random) -> dt.date:
    return dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(731))


def make_sentence(rng: random.Random, number: int) -> list[list[str]]:
    """One sentence as [word, markup-before, markup-after] triples, for `markdown_of` and `plain_of`."""
    words = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} bahwa {rng.choice(NOUNS)} "
             f"{rng.choice(ADJECTIVES)} sebanyak {number // 1000}.{number % 1000:03d} {rng.choice(UNITS)} "
             f"{rng.choice(LINKS)} {rng.choice(PLACES)} {rng.choice(TAILS)}").split()
    words[0] = words[0].title()
    words[-1] += "."
    triples = [[w, "", ""] for w in words]
    if rng.random() < 0.15:  # *emphasis* or a [link](...) over one to three words
        i = rng.randrange(len(words) - 3)
        j = i + rng.randint(0, 2)
        if rng.random() < 0.5:
            triples[i][1], triples[j][2] = "*", "*"
        else:
            triples[i][1], triples[j][2] = "[", f"](https://example.org/{rng.randrange(10**6)})"
        if triples[j][0].endswith("."):  # keep the full stop outside the markup
            triples[j][0] = triples[j][0][:-1]
            triples[j][2] += "."
    if rng.random() < 0.1:  # a quotation: “…,” kata X.
        triples[0][1] = "\u201c" + triples[0][1]
        triples[-1][0] = triples[-1][0].rstrip(".")
        triples[-1][2] = triples[-1][2].rstrip(".") + ",\u201d"
        triples += [["kata", "", ""], [rng.choice(PLACES).split()[0] + ".", "", ""]]
    return triples


def markdown_of(triples: list[list[str]]) -> str:
    return " ".join(before + word + after for word, before, after in triples)


def make_title(rng: random.Random) -> str:
    return (f"{rng.choice(PLACES)} {rng.choice(ACTIONS)} {rng.choice(NOUNS)} "
            f"{rng.choice(ADJECTIVES)} ke {rng.choice(PLACES)}")


def plain_of(markdown: str) -> str:
    """The text a reader sees: the Markdown without its emphasis and link markup."""
    return re.sub(r"\*|\[|\]\([^)]*\)", "", markdown)


def make_article(rng: random.Random, slug: str, claims: list[str], actors: list[str], outlets: list[str],
                 claim_weights: list[float], actor_weights: list[float]) -> str:
    numbers = iter(rng.sample(range(1000, 10000), 300))  # all d.ddd: one can never be part of another
    count, size = rng.randint(15, 30), rng.uniform(4000, 6000)
    sentences, length = [], 0
    while len(sentences) < count or length < size:
        sentences.append(make_sentence(rng, next(numbers)))
        length += len(markdown_of(sentences[-1])) + 1
    cuts = [0] + sorted(rng.sample(range(1, len(sentences)), count - 1)) + [len(sentences)]
    paragraphs = [" ".join(markdown_of(s) for s in sentences[a:b]) for a, b in zip(cuts, cuts[1:])]
    annotations = []
    for triples in rng.sample(sentences, rng.randint(3, 8)):
        at = next(i for i, t in enumerate(triples) if re.fullmatch(r"\d\.\d{3}", t[0]))
        start, end = rng.randint(max(0, at - 6), at - 1), rng.randint(at + 2, min(len(triples), at + 8))
        quote = plain_of(markdown_of(triples[start:end]))
        ann = {"claim": rng.choices(claims, cum_weights=claim_weights)[0], "quote": quote}
        stance = rng.random()
        if stance < 0.6:
            ann["asserts"] = sorted(set(rng.choices(actors, cum_weights=actor_weights, k=rng.randint(1, 2))))
        if stance > 0.45:
            deniers = set(rng.choices(actors, cum_weights=actor_weights, k=rng.randint(1, 2)))
            ann["denies"] = sorted(deniers - set(ann.get("asserts", [])))
        annotations.append({k: v for k, v in ann.items() if v})
    text = plain_of(" ".join(paragraphs))
    assert all(text.count(a["quote"]) == 1 for a in annotations), slug
    published = make_date(rng)
    outlet = rng.choice(outlets)
    meta = {"title": make_title(rng),
            "outlet": outlet,
            "published": published.strftime("%Y-%m") if rng.random() < 0.03 else published,
            "url": f"https://www.{outlet}.example.com/berita/{slug}",
            "authors": [make_name(rng, set()) for _ in range(rng.randint(1, 2))],
            "annotations": annotations}
    return front_matter(meta) + "\n\n".join(paragraphs) + "\n"


def front_matter(meta: dict) -> str:
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)
    return f"---\n{text}---\n"


def make_claim(rng: random.Random, i: int, claims: list[str]) -> str:
    meta: dict = {"title": make_title(rng)}
    if rng.random() < 0.6:
        meta["verdict"] = rng.choice(["benar", "sebagian-benar", "belum-terbukti", "menyesatkan", "salah"])
        meta["reviewed"] = make_date(rng)
        meta["summary"] = plain_of(markdown_of(make_sentence(rng, rng.randrange(1000, 10000))))
    meta["topics"] = rng.sample(TOPICS, rng.randint(1, 3))
    if rng.random() < 0.2:
        meta["related"] = sorted(set(rng.sample(claims, 3)) - {claims[i]})[:rng.randint(1, 2)]
    if rng.random() < 0.05:
        meta["aliases"] = [f"klaim-{i}"]
    body = ["\n".join(markdown_of(make_sentence(rng, rng.randrange(1000, 10000))) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(2, 5))]
    if meta.get("related"):
        body.append(f"Lihat juga [klaim terkait](/claims/{meta['related'][0]}/).")
    if meta.get("verdict"):  # a rated claim shows its evidence: a source it cites (drawing nothing from rng)
        meta["sources"] = [{"id": "dokumen", "title": f"Dokumen resmi {i}", "publisher": "Lembaga", "date": "2024-01"}]
        body.append("Dasar penilaian ini: dokumen resmi [@dokumen].")
    return front_matter(meta) + "\n\n".join(body) + "\n"


SITE_TOML = '''title = "Bench: {n} artikel"
description = "Situs sintetis untuk mengukur waktu build."
base_url = "https://bench.example.org/cek-fakta/"
language = "id"
output_dir = "_site"
''' + "".join(f'''
[[verdicts]]
key = "{key}"
label = "{label}"
rating = {rating}
description = "Penilaian {label.lower()}."
''' for rating, key, label in [(5, "benar", "Benar"), (4, "sebagian-benar", "Sebagian Benar"),
                               (3, "belum-terbukti", "Belum Terbukti"), (2, "menyesatkan", "Menyesatkan"),
                               (1, "salah", "Salah")])


def make_site(n: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    dirs = {kind: out / "content" / kind for kind in ("articles", "claims", "actors", "outlets")}
    for d in dirs.values():
        d.mkdir(parents=True)
    (out / "site.toml").write_text(SITE_TOML.format(n=n), "utf-8")
    taken: set[str] = set()

    outlets = [make_name(rng, taken, 1) for _ in range(20)]
    for name in outlets:
        (dirs["outlets"] / f"{slugify(name)}.yaml").write_text(
            f"name: {name}\nurl: https://www.{slugify(name)}.example.com\ncountry: ID\n", "utf-8")
    outlets = [slugify(name) for name in outlets]

    names = [f"{ORG_PREFIX[kind]} {make_name(rng, taken, 1)}" for kind in ORG_KINDS]
    names += [make_name(rng, taken) for _ in range(max(n // 10 - len(names), 20))]
    actors = [slugify(name) for name in names]
    orgs = actors[:len(ORG_KINDS)]
    for i, (slug, name) in enumerate(zip(actors, names)):
        if i < len(orgs):
            text = f"name: {name}\nkind: {ORG_KINDS[i]}\n"
        else:
            text = f"name: {name}\nkind: person\nrole: {rng.choice(ROLES)}\naffiliation: {rng.choice(orgs)}\n"
        (dirs["actors"] / f"{slug}.yaml").write_text(text, "utf-8")

    claims = [f"klaim-{slugify(' '.join(rng.sample(NOUNS, 2)))}-{i + 1}" for i in range(max(n // 5, 10))]
    for i, slug in enumerate(claims):
        (dirs["claims"] / f"{slug}.md").write_text(make_claim(rng, i, claims), "utf-8")

    # A few claims and actors turn up often, most rarely, as in the news (cumulative weights: fast).
    claim_weights = list(accumulate(1 / (i + 1) ** 0.7 for i in range(len(claims))))
    actor_weights = list(accumulate(1 / (i + 1) ** 0.7 for i in range(len(actors))))
    for i in range(n):
        slug = f"{slugify(' '.join(rng.sample(NOUNS, 2) + rng.sample(PLACES, 1)))}-{i + 1}"
        text = make_article(rng, slug, claims, actors, outlets, claim_weights, actor_weights)
        (dirs["articles"] / f"{slug}.md").write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", type=Path, help="default: bench/sites/N/")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = args.out or Path(__file__).parent / "sites" / str(args.articles)
    make_site(args.articles, out, args.seed)
    print(f"wrote {args.articles} articles to {out}")


if __name__ == "__main__":
    main()
