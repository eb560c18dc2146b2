"""A refused edit, as the panel says it: in the site's language, with its PATH:LINE and any closest passage."""
from __future__ import annotations

import pytest

from conftest import ARTICLE, BASE
from generator.config import load_config
from generator.errors import SiteError
from generator.link import link_site
from generator.load import load_content
from generator.preview.edit import plan_edit
from generator.preview.messages import explain


def refused(root, request: dict) -> list[dict]:
    config = load_config(root)
    content = load_content(root, config, drafts=True)
    with pytest.raises(SiteError) as e:
        plan_edit(root, config, content, link_site(content, config), {"article": "putin-di-pyongyang", **request})
    return [explain(p, config.strings) for p in e.value.problems]


@pytest.mark.parametrize("request_, text, closest", [
    ({"quote": "Vladimir Putin dan pemimpin Korea Utara bertemu", "claim": "sanksi-dilanggar"},
     f"{ARTICLE}:17: kutipan tidak ditemukan di teks artikel: “Vladimir Putin dan pemimpin Korea Utara bertemu”.",
     "Vladimir Putin dan pemimpin Korea Utara Kim Jong Un bertemu"),
    ({"quote": "Korea Utara", "claim": "sanksi-dilanggar"},
     f"{ARTICLE}:17: kutipan ditemukan 3 kali di teks artikel: “Korea Utara”. Pilih bagian yang lebih panjang agar "
     "hanya ada satu.", ""),
    ({"quote": "Kim Jong Un", "claim": "sanksi-dilanggar", "denies": ["rusiaa"]},
     f"{ARTICLE}:18: pihak tidak dikenal: “rusiaa” (maksud Anda “rusia”?).", ""),
    ({"quote": "Kim Jong Un", "claim": {"title": "Transfer senjata melanggar sanksi PBB"}},
     "content/claims/transfer-senjata-melanggar-sanksi-pbb.md:1: klaim “transfer-senjata-melanggar-sanksi-pbb” sudah "
     "ada: pilih klaim itu dari daftar, jangan membuat yang baru.", ""),
    ({"id": "tidak-ada", "remove": True}, f"{ARTICLE}:1: anotasi ini tidak ada lagi di berkas (berkas berubah sejak "
     "halaman ditampilkan): muat ulang halaman.", ""),
])
def test_each_refusal_the_panel_can_meet_is_said_in_the_site_language(site, request_, text, closest):
    root = site({"content/claims/transfer-senjata-melanggar-sanksi-pbb.md": "---\ntitle: T\n---\n"})
    said = refused(root, request_)
    assert said[0] == {"text": text, "closest": closest}


def test_any_other_problem_is_the_build_message_after_a_sentence_in_the_site_language(site):
    root = site({ARTICLE: BASE[ARTICLE].replace("title: Putin", "titel: Putin")})
    said = refused(root, {"quote": "Kim Jong Un", "claim": "sanksi-dilanggar"})
    assert said[0]["text"].startswith(f"{ARTICLE}:2: situs tidak akan bisa dibangun dengan perubahan ini. Pesan build: ")
    assert said[0]["text"].endswith("missing required field 'title'")
