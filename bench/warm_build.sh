#!/bin/sh
# A warm build of a bench site with one article changed: a line appended to its middle article (whose first text is
# kept beside the site, in SITE.article.md), then `generator build` into SITE/out. What `farm-bench` pairs against
# Hugo + Pagefind, or against another checkout of the generator (docs/performance.md, "Measuring it again").
# usage: bench/warm_build.sh SITE [CHECKOUT]   (SITE: a copy of bench/sites/N built once into SITE/out)
set -eu
site=$1
here=$(cd "$(dirname "$0")/.." && pwd)
checkout=${2:-$here}
article=$(ls "$site"/content/articles/*.md | sort | sed -n "$(( $(ls "$site"/content/articles/*.md | wc -l) / 2 ))p")
[ -f "$site.article.md" ] || cp "$article" "$site.article.md"
cp "$site.article.md" "$article"
printf '\n\nPembaruan pada %s.\n' "$(date +%s.%N)" >> "$article"
cd "$checkout"
exec "$here/.venv/bin/python" -m generator build --site "$site" --out "$site/out"
