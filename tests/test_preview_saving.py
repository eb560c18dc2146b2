"""The panel's writes: an editor's save while the panel saves is never lost; a BOM and CRLF stay as found.

In-process: the panel's save (`generator.preview.saving.save`, what the server runs) and an editor's save race
in two threads of this process.
"""
from __future__ import annotations

import difflib
import os
import random
import threading
import time
import http.server

import pytest

from conftest import ARTICLE, BASE, build_ok, page, run_cli
from generator.config import load_config
from generator.errors import SiteError
from generator.link import link_site
from generator.load import load_content, passage_anchor
from generator.preview import edit as edit_module
from generator.preview.saving import Conflict, save

SLUG = "putin-di-pyongyang"
ADD = {"article": SLUG, "quote": "Kim Jong Un bertemu hari ini", "claim": "sanksi-dilanggar", "asserts": ["rusia"]}
ANCHOR = passage_anchor(ADD["claim"], ADD["quote"], None)
EDITOR_LINE = "Paragraf yang ditulis editor selama panel menyimpan."


def state(root):
    """What the preview holds when the panel posts: config, content (drafts shown) and the linked site."""
    config = load_config(root)
    content = load_content(root, config, drafts=True)
    return config, content, link_site(content, config)


def editor_saves(root, line: str, atomic: bool = True) -> None:
    """An editor adds a paragraph to the article, as editors save: a new file renamed over it, or in place."""
    path = root / ARTICLE
    text = path.read_bytes() + f"\n{line}\n".encode()
    if atomic:
        tmp = path.with_name(".editor-save.tmp")
        tmp.write_bytes(text)
        os.replace(tmp, path)
    else:
        path.write_bytes(text)


def test_an_editor_saving_while_the_panel_validates_keeps_both_edits(site, monkeypatch):
    root = site()
    config, content, linked = state(root)
    validate, calls = edit_module._validate, []

    def slow_validate(*args):
        calls.append(1)
        if len(calls) == 1:  # the editor saves while the panel checks its first plan
            editor_saves(root, EDITOR_LINE)
        return validate(*args)

    monkeypatch.setattr(edit_module, "_validate", slow_validate)
    made = save(root, config, content, linked, ADD)
    text = (root / ARTICLE).read_text("utf-8")
    assert EDITOR_LINE in text, "the editor's paragraph is kept"
    assert '    quote: "Kim Jong Un bertemu hari ini"\n' in text, "and the panel's annotation is added"

    assert len(calls) == 2, "the edit was planned again on the file the editor saved"
    assert page(build_ok(root), f"articles/{SLUG}/").find(id=made.anchor)


@pytest.mark.parametrize("atomic", [True, False], ids=["renamed", "in place"])
def test_an_editor_saving_in_the_last_moment_before_the_panel_swaps_the_file_keeps_both_edits(site, monkeypatch,
                                                                                               atomic):
    """After the panel's last check of the file and before its own goes in, an editor saves: the swap takes the
    editor's file out, the panel sees it was not what it planned on, puts it back and plans again on it."""
    from generator.preview import saving
    root = site()
    config, content, linked = state(root)
    swaps = []

    def exchange_after_a_save(a, b):
        if not swaps:
            editor_saves(root, EDITOR_LINE, atomic)
        swaps.append((a, b))
        return saving_exchange(a, b)

    saving_exchange = saving.exchange
    monkeypatch.setattr(saving, "exchange", exchange_after_a_save)
    save(root, config, content, linked, ADD)
    text = (root / ARTICLE).read_text("utf-8")
    assert EDITOR_LINE in text, "the editor's paragraph is kept"
    assert '    quote: "Kim Jong Un bertemu hari ini"\n' in text, "and the panel's annotation is added"
    assert not [p.name for p in (root / ARTICLE).parent.iterdir() if p.name.startswith(".")], "no file left over"


def test_an_editor_who_keeps_saving_gets_a_conflict_and_nothing_of_the_panel_is_written(site, monkeypatch):
    root = site()
    config, content, linked = state(root)
    validate, saves = edit_module._validate, []

    def validate_while_the_editor_saves(*args):
        saves.append(f"{EDITOR_LINE} ({len(saves) + 1})")
        editor_saves(root, saves[-1])
        return validate(*args)

    monkeypatch.setattr(edit_module, "_validate", validate_while_the_editor_saves)
    new_claim = {**ADD, "claim": {"title": "Putin dan Kim bertemu hari ini"}}
    with pytest.raises(Conflict, match=f"{ARTICLE} changed while the annotation was being saved"):
        save(root, config, content, linked, new_claim)
    text = (root / ARTICLE).read_text("utf-8")
    assert all(line in text for line in saves) and "Kim Jong Un bertemu hari ini\"" not in text
    assert not (root / "content/claims/putin-dan-kim-bertemu-hari-ini.md").exists(), "no claim left without its passage"


@pytest.mark.parametrize("atomic", [True, False], ids=["editor-renames", "editor-writes-in-place"])
def test_a_race_between_the_panel_and_an_editor_repeated_never_loses_a_line(site, atomic):
    root = site()
    rng, anchor = random.Random(23), ""
    started = time.perf_counter()
    save(root, *state(root), {**ADD, "quote": "Vladimir Putin"})  # how long a save takes here: the editor saves within
    took = time.perf_counter() - started
    for n in range(8):
        config, content, linked = state(root)
        editor = threading.Timer(rng.uniform(0, took), editor_saves, (root, f"{EDITOR_LINE} ({n})", atomic))
        editor.start()
        try:  # the panel adds its annotation, removes it, adds it again…
            save(root, config, content, linked, {**ADD, "id": anchor, "remove": True} if anchor else ADD)
        except (SiteError, Conflict):  # an empty file read mid-save, say: refused, never a crash
            pass
        editor.join()
        text = (root / ARTICLE).read_text("utf-8")
        assert all(f"{EDITOR_LINE} ({k})" in text for k in range(n + 1)), f"try {n}: an editor's line was lost"
        # (an editor who read the file before the panel wrote it may write over the panel's edit: that is theirs)
        anchor = ANCHOR if '    quote: "Kim Jong Un bertemu hari ini"\n' in text else ""
    build_ok(root)


def test_an_article_saved_with_a_bom_and_crlf_keeps_both(site):
    text = "\ufeff" + BASE[ARTICLE].replace("\n", "\r\n")
    root = site()
    (root / ARTICLE).write_bytes(text.encode("utf-8"))
    made = save(root, *state(root), ADD)
    after = (root / ARTICLE).read_bytes()
    assert after.startswith(b"\xef\xbb\xbf---\r\n"), "the byte-order mark stays"
    assert after.count(b"\n") == after.count(b"\r\n"), "every line ends as the file's lines end"
    added = [x[2:] for x in difflib.ndiff(text.splitlines(), after.decode("utf-8").splitlines()) if x[0] in "+-"]
    assert added == ["  - claim: sanksi-dilanggar", '    quote: "Kim Jong Un bertemu hari ini"', "    asserts: [rusia]"]
    assert page(build_ok(root), f"articles/{SLUG}/").find(id=made.anchor)


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o600])
def test_a_file_the_panel_saves_keeps_its_permissions(site, mode):
    """The panel writes a new file and renames it over the article: the article stays readable by whoever could
    read it (the web server, the desk's group), and no more."""
    root = site()
    os.chmod(root / ARTICLE, mode)
    save(root, *state(root), ADD)
    assert ADD["quote"] in (root / ARTICLE).read_text("utf-8")
    assert (root / ARTICLE).stat().st_mode & 0o777 == mode


def test_a_new_claim_and_actor_from_the_panel_are_drafts_shown_in_the_preview_not_published(site):
    root = site()
    made = save(root, *state(root), {**ADD, "claim": {"title": "Putin dan Kim bertemu hari ini"},
                                     "asserts": [{"name": "Kementerian Luar Negeri Rusia", "kind": "government"}]})
    claim = root / "content/claims/putin-dan-kim-bertemu-hari-ini.md"
    actor = root / "content/actors/kementerian-luar-negeri-rusia.yaml"
    assert claim.read_text("utf-8") == '---\ntitle: "Putin dan Kim bertemu hari ini"\ndraft: true\n---\n'
    assert actor.read_text("utf-8") == 'name: "Kementerian Luar Negeri Rusia"\nkind: government\ndraft: true\n'
    shown = page(build_ok(root, "--drafts"), "claims/putin-dan-kim-bertemu-hari-ini/")
    assert "Draf: belum diterbitkan" in shown.select_one(".draft-band").text
    result = run_cli("build", "--site", str(root), "--out", str(root / "public"))
    assert result.returncode == 0, result.stderr
    assert "annotation of draft claim 'putin-dan-kim-bertemu-hari-ini' left out" in result.stderr
    published = root / "public"
    assert not (published / "claims/putin-dan-kim-bertemu-hari-ini").exists()
    assert not (published / "actors/kementerian-luar-negeri-rusia").exists()
    assert not page(published, f"articles/{SLUG}/").find(id=made.anchor), "nothing unfinished goes out"


# -- through the preview's own server, in this process ---------------------------------------------------------------

@pytest.fixture
def preview_server(site):
    """The preview as `serve` runs it (server, watcher and rebuilds), in threads of this process; (root, post)."""
    import http.client
    import json

    from generator.preview.rebuild import Preview
    from generator.preview.server import Gate, make_handler
    from generator.preview.watch import Saves, observe, watch

    root = site()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), None)
    server.daemon_threads = True
    port = server.server_address[1]
    preview, stop, gate = Preview(root, f"http://127.0.0.1:{port}/"), threading.Event(), Gate.of("127.0.0.1")
    saves = Saves(root)
    server.RequestHandlerClass = make_handler(preview, stop, gate, say=lambda text: None)
    observer = observe(root, saves)
    preview.rebuild()
    threading.Thread(target=watch, args=(preview, saves, stop, lambda text: None), daemon=True).start()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def post(body: dict) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", "/__preview/annotate", json.dumps(body).encode(), {
            "Content-Type": "application/json", "Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}",
            "X-Preview-Token": gate.token})
        response = connection.getresponse()
        return response.status, json.loads(response.read())

    yield root, post
    stop.set()
    with preview.changed:
        preview.changed.notify_all()
    server.shutdown()
    server.server_close()
    observer.stop()
    preview.search.close()


def test_the_panel_posting_while_an_editor_saves_never_loses_a_line_nor_answers_500(preview_server):
    root, post = preview_server
    rng, anchor = random.Random(5), ""
    started = time.perf_counter()
    assert post({**ADD, "quote": "Vladimir Putin"})[0] == 200  # how long a save takes here: the editor saves within
    took = time.perf_counter() - started
    time.sleep(0.3)
    for n in range(8):
        editor = threading.Timer(rng.uniform(0, took), editor_saves, (root, f"{EDITOR_LINE} ({n})", n % 2 == 0))
        editor.start()
        status, answer = post({**ADD, "id": anchor, "remove": True} if anchor else ADD)
        editor.join()
        assert status in (200, 409, 422), answer
        if status == 409:
            assert answer["messages"][0]["text"].startswith("Berkas artikel sedang diubah di editor")
        text = (root / ARTICLE).read_text("utf-8")
        assert all(f"{EDITOR_LINE} ({k})" in text for k in range(n + 1)), f"try {n}: an editor's line was lost"
        # (an editor who read the file before the panel wrote it may write over the panel's edit: that is theirs)
        anchor = ANCHOR if '    quote: "Kim Jong Un bertemu hari ini"\n' in text else ""
        time.sleep(0.3)  # the preview rebuilds
