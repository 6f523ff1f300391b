"""What runs inside the sandbox: one Manim scene per run; stdlib + manim only, no import of text_to_manim.

This folder is bound read-only into the sandbox and started by `__main__.py`, so it must stand alone:
`protocol` (the messages below), `scene_run` (validate, render, concat), `layout_facts`, `tex` (the formula
cache and the trusted `texbatch` step), `speedups`, `serve` (the warm worker), `shims` (run-time fixes),
`voiceover` (a stand-in manim_voiceover), `mux` (the narration track added to a rendered video).
It speaks to the parent through lines on stdout that start with MARK and carry one JSON object each:
  {"event": "play", "index": i, "line": n}           an animation (play or wait) is starting, played from line n
  {"event": "played", "index": i, "seconds": s}       ... and ended, lasting s seconds of video
  {"event": "video", "path": p}                       the movie file written
  {"event": "preview", "path": p}                     the last frame written (validate mode)
  {"event": "image", "path": p}                       a scene that never animates: its still (render mode)
  {"event": "cue", "start": s, "end": e, "text": t, "estimated": b}  a voiceover block (captions, audio)
  {"event": "muxed", "path": p, "video": s, "audio": s, "found_audio": s, "remuxed": b}  mux mode (mux.py)
  {"event": "done", "animations": n, "warnings": [...], "scene": name}
  {"event": "error", "type": t, "message": m, "line": l, "source_line": s, "stage": st}
Paths are relative to the run's folder when they lie inside it: the parent maps them onto its own view of
that folder (the job folder, or a warm worker's slot) and trusts nothing outside it.
Everything else (Manim's own log) goes to stderr, which the parent keeps as the job's log.

`serve` mode is a warm worker (see `serve`): it imports Manim once, then runs each command of one job in
a forked child, so a job's runs start in milliseconds instead of importing Manim from nothing.
"""
