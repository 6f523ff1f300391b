"""Files the app reads from, and writes into, folders a sandboxed run may still be changing: a link the
scene plants there must never take the app's read or write to a host file. The links are real links on
the host file system, as a scene inside bubblewrap makes them (a path that names a host file)."""
from __future__ import annotations

import os
import threading
from types import SimpleNamespace

import pytest

from text_to_manim.sandbox import fs as sandbox_fs
from text_to_manim.sandbox import workers

SECRET = "host secret\n"


@pytest.fixture
def host(tmp_path):
    """A host file the scene wants (to read or to overwrite), and a run's folder beside it."""
    secret = tmp_path / "host" / "app.py"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    run_dir = tmp_path / "slot"
    (run_dir / "media" / "images").mkdir(parents=True)
    return SimpleNamespace(secret=secret, run_dir=run_dir, out=tmp_path / "job")


def test_a_link_planted_where_the_app_copies_the_code_in_is_replaced_not_followed(host):
    """A head-start render still running in a warm worker's slot replaces scene.py by a link to a host
    file; the next validation copies the code in: the host file must stay as it was."""
    os.symlink(host.secret, host.run_dir / "scene.py")
    code = host.run_dir.parent / "scene.py"
    code.write_text("from manim import *\n")
    workers.Worker.sync_in(SimpleNamespace(slot=host.run_dir), [code])
    assert host.secret.read_text() == SECRET
    assert not (host.run_dir / "scene.py").is_symlink()
    assert (host.run_dir / "scene.py").read_text() == "from manim import *\n"


@pytest.mark.parametrize("planted", ["file", "folder"])
def test_a_reported_file_swapped_for_a_link_is_not_read(host, planted):
    """The runner reports media/images/p.png; before the app copies it the scene swaps the file (or a
    folder on its path) for a link to a host file."""
    host.out.mkdir()
    if planted == "file":
        os.symlink(host.secret, host.run_dir / "media" / "images" / "p.png")
        reported = host.run_dir / "media" / "images" / "p.png"
    else:
        (host.run_dir / "media" / "images").rmdir()
        os.symlink(host.secret.parent, host.run_dir / "media" / "images")
        reported = host.run_dir / "media" / "images" / "app.py"
    with pytest.raises(OSError):
        sandbox_fs.copy(reported, host.out / "preview.png", beneath=host.run_dir)
    assert not (host.out / "preview.png").exists()


def test_the_apps_copy_out_does_not_write_through_a_planted_link(host):
    """A cold run shares the job folder: the preview the app writes there may already be a link."""
    png = host.run_dir / "media" / "images" / "p.png"
    png.write_bytes(b"\x89PNG frame")
    os.symlink(host.secret, host.run_dir / "preview.png")
    sandbox_fs.copy(png, host.run_dir / "preview.png", beneath=host.run_dir)
    assert host.secret.read_text() == SECRET
    assert (host.run_dir / "preview.png").read_bytes() == b"\x89PNG frame"


def test_a_log_file_replaced_by_a_link_is_not_appended_through(host):
    os.symlink(host.secret, host.run_dir / "render.part1.log")
    with sandbox_fs.open_append(host.run_dir / "render.part1.log") as fh:
        fh.write(b"chunk 1 log\n")
    assert host.secret.read_text() == SECRET
    assert (host.run_dir / "render.part1.log").read_bytes() == b"chunk 1 log\n"


def test_regular_files_are_copied_and_appended_as_usual(host):
    png = host.run_dir / "media" / "images" / "p.png"
    png.write_bytes(b"frame")
    host.out.mkdir()
    assert sandbox_fs.copy(png, host.out / "p.png", beneath=host.run_dir).read_bytes() == b"frame"
    log = host.run_dir / "render.log"
    log.write_bytes(b"a\n")
    with sandbox_fs.open_append(log) as fh:
        fh.write(b"b\n")
    assert log.read_bytes() == b"a\nb\n"


def test_scrub_removes_links_and_fifos_and_never_goes_through_a_linked_folder(host):
    (host.run_dir / "media" / "images" / "p.png").write_bytes(b"frame")
    os.symlink(host.secret.parent, host.run_dir / "media" / "via")  # a folder link: removed, not entered
    os.symlink(host.secret, host.run_dir / "media" / "images" / "leak.png")
    os.mkfifo(host.run_dir / "render.log")
    removed = sandbox_fs.scrub(host.run_dir)
    assert sorted(removed) == ["media/images/leak.png", "media/via", "render.log"]
    assert host.secret.read_text() == SECRET and (host.run_dir / "media" / "images" / "p.png").is_file()


def test_a_run_log_keeps_its_head_and_tail_and_says_what_it_left_out(host):
    """Issue 16.4: all a scene printed went into the job's log (2.8 GB): now its first and last bytes."""
    log = sandbox_fs.RunLog(host.run_dir / "render.log", head=1000, tail=500)
    for i in range(10_000):
        log.write(f"line {i:05d}\n".encode())
    log.note("the app's note")
    log.close()
    text = (host.run_dir / "render.log").read_text()
    assert len(text) < 1000 + 500 + 200
    assert text.startswith("line 00000\n") and "line 09999\n" in text and "the app's note" in text
    assert f"{10_000 * 11 + 15 - 1000 - 500} bytes of this run's output left out" in text


def test_a_run_log_swapped_for_a_link_while_open_takes_no_write_to_the_host(host):
    """Issue 16.1: another run renames a link onto the log after the app opened it: the app's later lines
    (its note after the scrub) go to the file it opened, never through the link."""
    path = host.run_dir / "render.part0.log"
    log = sandbox_fs.RunLog(path)
    log.write(b"the run's output\n")
    os.unlink(path)
    os.symlink(host.secret, path)
    log.note("removed what the scene made: " + sandbox_fs.printable_names(["x\nimport os; os.system('id')\n"]))
    log.close()
    assert host.secret.read_text() == SECRET


def test_names_a_scene_chose_are_shown_on_one_line():
    shown = sandbox_fs.printable_names(["x\nimport os", "a\rb\x1b[2J", *[f"n{i}" for i in range(30)]])
    assert "\n" not in shown and "\r" not in shown and "\x1b" not in shown
    assert shown.startswith("x\\nimport os, a\\rb\\x1b[2J") and shown.endswith("and 12 more")


def test_a_chunk_log_is_merged_head_and_tail_only_and_never_read_through_a_link(host):
    part = host.run_dir / "render.part1.log"
    part.write_bytes(b"h" * 3000 + b"m" * 10_000 + b"t" * 2000)
    job_log = host.run_dir / "render.log"
    sandbox_fs.copy_log(part, job_log, "-- chunk 1 --", head=3000, tail=2000)
    text = job_log.read_text()
    assert text.startswith("-- chunk 1 --\n" + "h" * 3000) and text.endswith("t" * 2000) and "m" not in text
    os.unlink(part)
    os.symlink(host.secret, part)
    sandbox_fs.copy_log(part, job_log, "-- chunk 1 --")
    assert SECRET not in job_log.read_text()


def test_a_line_without_end_is_cut_into_bounded_pieces():
    from text_to_manim.sandbox.runner.protocol import Lines, message_of
    lines = Lines(limit=100)
    pieces = [p for _ in range(50) for p in lines.feed(b"x" * 64)] + lines.feed(b'\n@@T2M {"event": "played"}\n')
    assert all(len(p) <= 100 for p in pieces) and sum(map(len, pieces[:-1])) == 50 * 64
    assert message_of(pieces[-1]) == {"event": "played"}
    assert message_of(b"@@T2M " + b"[" * 100_000) is None and message_of(b"@@T2M " + b"9" * 5000) is None


def test_a_run_reading_the_code_while_the_job_copies_it_in_again_reads_it_whole(host):
    """The early render starts in the slot, then validation copies the same code in again: a run that
    opens scene.py in between must read the whole file, never find it missing or short (the load test
    once failed with FileNotFoundError: '/job/scene.py' in the early render)."""
    code = host.run_dir.parent / "scene.py"
    code.write_text("from manim import *\n" + "# padding\n" * 20000)
    whole = code.read_bytes()
    workers.Worker.sync_in(SimpleNamespace(slot=host.run_dir), [code])
    seen: list[str] = []
    stop = threading.Event()

    def run_reads() -> None:
        while not stop.is_set():
            try:
                data = (host.run_dir / "scene.py").read_bytes()
            except FileNotFoundError:
                seen.append("missing")
                continue
            if data != whole:
                seen.append(f"{len(data)} of {len(whole)} bytes")

    reader = threading.Thread(target=run_reads)
    reader.start()
    try:
        for _ in range(300):
            workers.Worker.sync_in(SimpleNamespace(slot=host.run_dir), [code])
    finally:
        stop.set()
        reader.join()
    assert seen == []
    assert [p.name for p in host.run_dir.iterdir() if p.is_file()] == ["scene.py"]  # no temporary file left
