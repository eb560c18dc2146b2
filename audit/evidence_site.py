"""A site with the evidence features a newsroom meets: posts on Facebook, X, TikTok and WhatsApp (with and without
a screenshot, an address, an archived copy), a claim citing sources with and without archives and showing images,
a news article denying it. `--broken` adds one of each mistake (`[@nope]`, a typo in a citation, an image without
alt text, a missing image, a rated claim citing nothing, a post on a news outlet, a screenshot without alt).

Every name, account, address, document and quote in it is made up (addresses under example.org, accounts that do
not exist). Not the example: its seeds quote no viral post, so it has no post or screenshot to audit. Run:
`.venv/bin/python audit/evidence_site.py DIR [--broken]`, then `docs/audit.py --site DIR
articles/unggahan-facebook-chip/ articles/cuitan-x-chip/ claims/vaksin-mengandung-chip/` (or `python -m generator check --site DIR`).
"""
import random
import shutil
import sys
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import sync_playwright

root = Path(sys.argv[1]); broken = "--broken" in sys.argv
shutil.rmtree(root, ignore_errors=True)
site = (Path(__file__).resolve().parent.parent / "site.toml").read_text().split("# Nama tampilan topik")[0]
site = site.replace('title = "Cek Klaim: Kim Jong Un dan Putin"', 'title = "Cek Hoaks Uji"')
site += '\n[topics]\nkesehatan = "Kesehatan"\n'
F = {"site.toml": site}
F["content/outlets/facebook.yaml"] = "name: Facebook\nkind: platform\nurl: https://www.facebook.com\n"
F["content/outlets/x.yaml"] = "name: X\nkind: platform\nurl: https://x.com\n"
F["content/outlets/tiktok.yaml"] = "name: TikTok\nkind: platform\nurl: https://www.tiktok.com\n"
F["content/outlets/whatsapp.yaml"] = "name: WhatsApp\nkind: platform\n"
F["content/outlets/kompas.yaml"] = "name: Kompas.com\nurl: https://www.kompas.com\ncountry: ID\n"
F["content/actors/kemenkes.yaml"] = "name: Kementerian Kesehatan\nkind: government\nrole: Kementerian Kesehatan RI\n"
F["content/actors/akun-anonim.yaml"] = "name: Akun anonim\nkind: group\nrole: Penyebar unggahan\n"
F["content/claims/vaksin-mengandung-chip.md"] = """---
title: Vaksin COVID-19 mengandung chip pelacak
verdict: salah
reviewed: 2026-12-01
claimant: akun-anonim
summary: >-
  Unggahan di Facebook, X, TikTok dan WhatsApp menyebut vaksin berisi chip;
  dokumen komposisi vaksin tidak memuat komponen elektronik.
topics: [kesehatan]
sources:
  - id: who-komposisi
    title: "Vaccine ingredients, explained"
    publisher: Badan Kesehatan Contoh
    date: 2021-03-02
    url: https://example.org/who/vaccine-ingredients
    archive_url: https://web.archive.org/web/2021/https://example.org/who/vaccine-ingredients
    quote: "The vaccine does not contain any microchips"
    language: en
  - id: kemenkes-siaran
    title: Siaran pers Kemenkes tentang isu chip dalam vaksin
    publisher: Kementerian Contoh
    date: 2021-05
    url: https://example.org/kementerian/siaran-20210510
  - id: bpom-eua
    title: Izin Penggunaan Darurat, nomor EUA-0000-CONTOH
    publisher: Badan Pengawas Contoh
    date: 2021-01-11
    note: Dokumen tidak tersedia daring; dirujuk menurut nomornya.
  - id: tidak-dikutip
    title: Catatan latar
    publisher: Lembaga Lain
    date: 2020-12-01
    url: https://example.org/latar
    archive_url: https://archive.ph/abc12
---
Klaim bahwa vaksin berisi chip pelacak beredar di empat platform. WHO menyatakan
vaksin tidak memuat mikrocip [@who-komposisi, hlm. 2]. Kemenkes membantahnya
[@kemenkes-siaran; @who-komposisi], dan izin BPOM mencantumkan komposisinya [@bpom-eua].
BROKENCITE
![Diagram komposisi vaksin: air, lipid, garam dan gula; tidak ada komponen elektronik](media/komposisi.png)

BROKENIMG
"""
F["content/claims/chip-bisa-dilacak-satelit.md"] = """---
title: Chip dalam vaksin bisa dilacak satelit
VERDICT
reviewed: 2026-12-01
claimant: akun-anonim
---
Klaim lanjutan dari unggahan yang sama. Tidak ada dokumen yang memuat chip itu.
"""
F["content/claims/vaksin-mengubah-dna.md"] = """---
title: Vaksin mRNA mengubah DNA penerimanya
reviewed: 2026-12-01
---
Belum dinilai.
"""
F["content/articles/unggahan-facebook-chip.md"] = """---
title: Unggahan Facebook soal chip dalam vaksin
kind: post
outlet: facebook
account: Info Sehat Nusantara
published: 2021-05-03
url: https://www.facebook.com/infosehatnusantara/posts/1001
archive_url: https://archive.ph/fb1001
screenshot:
  src: media/fb-chip.jpg
  alt: Tangkapan layar unggahan Info Sehat Nusantara dengan foto botol vaksin dan tulisan "ADA CHIP"
  blur: [[40, 300, 200, 40]]
annotations:
  - claim: vaksin-mengandung-chip
    quote: vaksin ini berisi chip pelacak
    asserts: [akun-anonim]
  - claim: chip-bisa-dilacak-satelit
    quote: bisa dilacak lewat satelit
---
AWAS!!! vaksin ini berisi chip pelacak, dan bisa dilacak lewat satelit. Sebarkan sebelum dihapus!!
"""
F["content/articles/cuitan-x-chip.md"] = """---
title: Cuitan di X tentang chip vaksin
kind: post
outlet: x
account: "@kabar_bebas99"
published: 2021-05-04
url: https://x.com/kabar_bebas99/status/1389
screenshot:
  src: media/x-chip.png
  ALTLINE
annotations:
  - claim: vaksin-mengandung-chip
    quote: vaksin = chip
---
Sudah terbukti: vaksin = chip. Jangan mau disuntik. #tolakvaksin
"""
F["content/articles/video-tiktok-chip.md"] = """---
title: Video TikTok tentang magnet dan chip
kind: post
outlet: tiktok
account: "@sehat.alami"
published: 2021-06-10
url: https://www.tiktok.com/@sehat.alami/video/6969
archive_url: https://web.archive.org/web/2021/https://www.tiktok.com/@sehat.alami/video/6969
annotations:
  - claim: vaksin-mengandung-chip
    quote: magnet menempel karena ada chip di dalamnya
---
Lihat, magnet menempel karena ada chip di dalamnya. (Teks video, ditranskripsi.)
"""
F["content/articles/pesan-whatsapp-chip.md"] = """---
title: Pesan berantai WhatsApp tentang chip vaksin
kind: post
outlet: whatsapp
account: Pesan berantai (diteruskan berkali-kali)
published: 2021-05
annotations:
  - claim: vaksin-mengandung-chip
    quote: Vaksin berisi chip 5G
  - claim: vaksin-mengubah-dna
    quote: mengubah DNA kita
---
Diteruskan berkali-kali

Vaksin berisi chip 5G dan mengubah DNA kita. Kirim ke 10 grup!
"""
F["content/articles/kompas-bantah-chip.md"] = """---
title: Kemenkes bantah isu chip dalam vaksin
outlet: kompas
published: 2021-05-11
url: https://example.org/berita/2021/05/11/bantah-chip
annotations:
  - claim: vaksin-mengandung-chip
    quote: tidak ada chip dalam vaksin
    denies: [kemenkes]
---
Kementerian Kesehatan menegaskan tidak ada chip dalam vaksin COVID-19 yang beredar di Indonesia.
"""
if broken:
    F["content/articles/post-di-media-berita.md"] = """---
title: Unggahan yang salah tempat
kind: post
outlet: kompas
account: Seseorang
published: 2021-05-05
screenshot:
  src: media/hilang.png
  alt: Tangkapan layar yang hilang
annotations:
  - claim: vaksin-mengandung-chip
    quote: chip ada
---
Katanya chip ada di sana.
"""
BROKEN = {  # placeholder → (the broken text, the clean text)
    "BROKENCITE": ("Klaim lain menyebut sumber yang tak ada [@nope] dan [@who-komposisl].", ""),
    "BROKENIMG": ("![](media/foto-botol.jpg)\n\n![Peta penyebaran](media/peta.png)",
                  "![Foto botol vaksin yang beredar bersama unggahan](media/foto-botol.jpg)"),
    "VERDICT": ("verdict: salah", ""),
    "ALTLINE": ("blur: []", "alt: 'Tangkapan layar cuitan @kabar_bebas99, Sudah terbukti, vaksin = chip'"),
}
for path, text in F.items():
    for mark, (bad, good) in BROKEN.items():
        text = text.replace(mark, bad if broken else good)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text)

# Images: a diagram (flat colours, PNG), a photo-like JPEG (gradients and grain) with a phone's EXIF and GPS, and
# screenshots of posts rendered as a phone at 2× shows them (a JPEG and a PNG: the PNG is over the weight budget)
media = root / "content/media"
media.mkdir(parents=True, exist_ok=True)
diagram = Image.new("RGB", (1600, 900), (250, 250, 230))
draw = ImageDraw.Draw(diagram)
for y in range(0, 900, 37):
    draw.line((0, y, 1600, y), fill=(180, 180, 180))
draw.text((50, 50), "Komposisi vaksin", fill="black")
diagram.save(media / "komposisi.png")
rng = random.Random(26)
grain = Image.frombytes("L", (720, 480), rng.randbytes(720 * 480)).convert("RGB")
sky = Image.linear_gradient("L").resize((720, 480))
tint = Image.merge("RGB", (sky, sky.point(lambda v: 90 + v // 3), Image.new("L", (720, 480), 160)))
exif = Image.Exif()
exif[0x010F], exif[0x8825] = "PhoneMaker", {1: "S", 2: (6.0, 10.0, 0.0)}
Image.blend(tint, grain, 0.12).save(media / "foto-botol.jpg", quality=92, exif=exif.tobytes())
POST_HTML = """<html><body style="margin:0;font:15px system-ui,sans-serif;background:#fff;color:#050505">
<div style="padding:12px 16px;display:flex;gap:8px;align-items:center">
<div style="width:40px;height:40px;border-radius:50%;background:linear-gradient(135deg,#1877f2,#42b72a)"></div>
<div><b>{account}</b><br><small style="color:#65676b">{date}</small></div></div>
<p style="padding:0 16px">{text}</p>
<div style="height:{h}px;background:linear-gradient(160deg,#f5d0a9,#8a5a2b 40%,#23395d);display:flex;
align-items:center;justify-content:center;color:#fff;font:bold 44px system-ui">ADA CHIP!!</div>
<div style="padding:8px 16px;color:#65676b;display:flex;justify-content:space-between">
<span>2,4 rb</span><span>312 komentar · 1,1 rb kali dibagikan</span></div>
<div style="border-top:1px solid #ddd;padding:10px 16px;display:flex;justify-content:space-around;color:#65676b">
<b>Suka</b><b>Komentari</b><b>Bagikan</b></div></body></html>"""
SHOTS = (("fb-chip.jpg", 540, 675, "Info Sehat Nusantara",
          "AWAS!!! vaksin ini berisi chip pelacak, dan bisa dilacak lewat satelit. Sebarkan sebelum dihapus!!"),
         ("x-chip.png", 600, 338, "kabar bebas @kabar_bebas99",
          "Sudah terbukti: vaksin = chip. Jangan mau disuntik. #tolakvaksin"))
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox",
                                                                            "--disable-gpu"])
    for name, w, h, account, text in SHOTS:
        tab = browser.new_page(viewport={"width": w, "height": h}, device_scale_factor=2)
        tab.set_content(POST_HTML.format(account=account, date="3 Mei 2021", text=text, h=int(h * 0.55)))
        jpeg = name.endswith(".jpg")
        tab.screenshot(path=str(media / name), type="jpeg" if jpeg else "png", **({"quality": 90} if jpeg else {}))
    browser.close()
