"""Small, gradio-free helpers for the app: settings from the Settings tab, the banner, the render progress
bar, gallery cards, history rows, and gif/webm conversion for downloads."""
from __future__ import annotations

import html
import logging
import shutil
from pathlib import Path
from typing import Optional
from urllib.parse import urlparse

from text_to_manim import config
from text_to_manim.config import DEEPSEEK_BASE_URL, DEEPSEEK_MODEL, Settings
from text_to_manim.generate.providers import is_local
from text_to_manim.sandbox import walls as sandbox

log = logging.getLogger(__name__)

OFFLINE = "Offline gallery"
DEEPSEEK = "DeepSeek"
OPENAI_COMPAT = "OpenAI-compatible"
PROVIDER_CHOICES = (OFFLINE, DEEPSEEK, OPENAI_COMPAT)
QUALITY_CHOICES = [("Low 480p15 (fast)", "l"), ("Medium 720p30", "m"), ("High 1080p60", "h"), ("4K 2160p60", "k")]
LATEX_DELIMITERS: list[dict[str, str | bool]] = [
    {"left": "$$", "right": "$$", "display": True},
    {"left": "\\[", "right": "\\]", "display": True},
    {"left": "$", "right": "$", "display": False},
    {"left": "\\(", "right": "\\)", "display": False},
]


def provider_choice(s: Settings) -> str:
    """Which of PROVIDER_CHOICES these settings are (providers.provider_label names who answers, in words)."""
    if s.provider == "offline":
        return OFFLINE
    return DEEPSEEK if s.base_url.rstrip("/") == DEEPSEEK_BASE_URL else OPENAI_COMPAT


def provider_defaults(label: str, s: Settings) -> tuple[str, str]:
    """(model, base_url) to show when the person switches provider."""
    if label == DEEPSEEK:
        return DEEPSEEK_MODEL, DEEPSEEK_BASE_URL
    if label == OPENAI_COMPAT:
        if s.provider == "openai" and s.base_url.rstrip("/") != DEEPSEEK_BASE_URL:
            return s.model, s.base_url
        return "gpt-4o-mini", "https://api.openai.com/v1"
    return s.model, s.base_url


def session_settings(base: Settings, label: str, model: str = "", base_url: str = "", api_key: str = "",
                     quality: str = "", fmt: str = "", rounds=None) -> Settings:
    """The settings for one request: the server's, overridden by this browser session's Settings tab.

    The key typed in the browser lives only in this returned object (and the provider call); it is never
    written anywhere (`Settings.public()` drops it)."""
    api_key = (api_key or "").strip()
    changes: dict = {
        "quality": quality if quality in config.QUALITIES else None,
        "format": fmt if fmt in config.FORMATS else None,
        "max_repair_rounds": int(rounds) if rounds not in (None, "") else None,
    }
    if label == OFFLINE:
        changes["provider"] = "offline"
    elif label in (DEEPSEEK, OPENAI_COMPAT):
        url = (base_url or "").strip() or (DEEPSEEK_BASE_URL if label == DEEPSEEK else base.base_url)
        changes.update(provider="openai", base_url=url, model=(model or "").strip() or base.model)
        # a key from the environment is only reused for the endpoint it was configured for
        env_key = base.api_key if url.rstrip("/") == base.base_url.rstrip("/") else ""
        key = api_key or env_key
        if not key and is_local(url):
            key = "local"  # Ollama, vLLM, LM Studio accept any key; the SDK insists on one
        changes["api_key"] = key
        if not key:
            changes["provider"] = "offline"  # no key: the offline gallery serves (the banner says so)
    s = base.with_(**{k: v for k, v in changes.items() if k != "api_key"})
    if "api_key" in changes:
        from dataclasses import replace
        s = replace(s, api_key=changes["api_key"])
    return s


def banner_markdown(s: Settings, typed_key: bool = False, wanted: str = "") -> str:
    if s.provider == "offline" and wanted in (DEEPSEEK, OPENAI_COMPAT):
        return (f"**{wanted}** is selected but **no API key** is set, so the **offline gallery** is serving: "
                f"prompts are matched to the curated gallery and rendered for real. Enter a key in "
                f"**Settings** (kept for this browser session only) to generate new scenes.")
    if s.provider == "offline":
        return ("**Offline gallery mode** — no model is called: your prompt is matched to the curated gallery "
                "and formula templates, and rendered for real. Add a DeepSeek or OpenAI-compatible API key in "
                "**Settings** to generate new scenes.")
    host = urlparse(s.base_url).netloc or s.base_url
    whose = "this browser session's key" if typed_key else "the server's key"
    if s.api_key == "local" and is_local(s.base_url):
        whose = "a local server"
    return (f"**{provider_choice(s)}** is active: model `{html.escape(s.model)}` at `{html.escape(host)}`, "
            f"using {whose}. Reasoning streams live into the chat.")


def progress_html(progress, status: str = "", note: str = "", stage: str = "") -> str:
    """A small bar above the video: render progress (animation i of n), or the job's state."""
    if progress and progress[0]:
        _, done, total = progress
        if total:
            pct = max(0, min(100, int(100 * done / total)))
            label = f"Rendering animation {done} of {total}"
        elif done:
            pct, label = 0, f"{stage or 'Working'}: animation {done}…"
        else:
            pct, label = 0, f"{stage or 'Working'}…"
        return (f'<div class="t2m-progress" data-done="{done}" data-total="{total}">'
                f'<div class="t2m-progress-label">{html.escape(label)}</div>'
                f'<div class="t2m-progress-track"><div class="t2m-progress-fill" style="width:{pct}%"></div></div></div>')
    text = {"running": f"{stage or 'Working'}…", "ok": "Done", "failed": "Failed", "partial": "Partial video",
            "cancelled": "Cancelled"}.get(status, "")
    if note:
        text = f"{text} · {note}" if text else note
    if not text:
        return '<div class="t2m-progress t2m-idle"></div>'
    return (f'<div class="t2m-progress t2m-{html.escape(status or "idle")}">'
            f'<div class="t2m-progress-label">{html.escape(text)}</div></div>')


# --- gallery ------------------------------------------------------------------------------------------
def gallery_preview(slug: str, media_dir: Path) -> Optional[Path]:
    """A cached last frame for a gallery card, if a render or validate run left one."""
    g = Path(media_dir) / "gallery"
    for p in (g / f"{slug}.png", g / slug / "preview.png", g / slug / f"{slug}.png"):
        if p.is_file():
            return p
    if g.is_dir():
        found = sorted(g.glob(f"{slug}*/**/*.png"), key=lambda p: p.stat().st_mtime, reverse=True)
        if found:
            return found[0]
    return None


def gallery_card_html(entry, preview: Optional[Path] = None) -> str:
    """A gallery card's picture and text; the picture is the cached last frame when one exists."""
    params = ", ".join(f"{p.name} = {p.default}" + (f" ({html.escape(p.help)})" if p.help else "")
                       for p in entry.params)
    extra = f'<div class="t2m-card-params">{params}</div>' if params else ""
    if preview:
        v = int(Path(preview).stat().st_mtime)
        pic = (f'<img class="t2m-card-img" alt="{html.escape(entry.title)}" loading="lazy" '
               f'src="gradio_api/file={html.escape(str(preview))}?v={v}">')
    else:
        pic = f'<div class="t2m-card-img t2m-card-noimg"><span>{html.escape(entry.title)}</span></div>'
    return (f'<div class="t2m-card-inner" data-slug="{html.escape(entry.slug)}">{pic}'
            f'<div class="t2m-card-cat">{html.escape(entry.category)}</div>'
            f'<h3>{html.escape(entry.title)}</h3><p>{html.escape(entry.summary)}</p>{extra}</div>')


def cache_gallery_preview(slug: str, preview: Optional[str], media_dir: Path) -> Optional[Path]:
    """Keep a gallery render's last frame as its card picture (media/gallery/<slug>.png)."""
    if not preview or not Path(preview).is_file():
        return None
    dst = Path(media_dir) / "gallery" / f"{slug}.png"
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists() or dst.stat().st_mtime < Path(preview).stat().st_mtime:
            shutil.copyfile(preview, dst)
        return dst
    except OSError as exc:
        log.warning("could not cache the gallery preview for %s: %s", slug, exc)
        return None


# --- history ------------------------------------------------------------------------------------------
HISTORY_HEADERS = ["When", "Status", "Kind", "Prompt", "Model", "Job"]


HISTORY_UNAVAILABLE = ("**History is unavailable right now** ({why}). Your jobs are not lost: they are kept and "
                       "show here again when the history database answers.")
HISTORY_PENDING = ("**{n} change(s) to the history are not written yet**: the history database is locked by "
                   "another process ({why}). They are kept and written as soon as it is free.")


def history_jobs(settings: Settings, owner: str, limit: int = 200) -> tuple[list[dict], str]:
    """One visitor's past jobs, newest first, from the history database (store.py); and why
    the history could not be read ('' when it could)."""
    try:
        from text_to_manim import store

        st = store.open_store(settings.db_path)
        return st.recent(limit=limit, owner=owner), ""
    except Exception as exc:  # a broken, missing or locked database must not break the app
        log.warning("history unavailable: %s", exc)
        return [], str(exc) or type(exc).__name__


def history_note(settings: Settings, problem: str = "") -> str:
    """A line above the history table when something is wrong with the database, else ''."""
    if problem:
        return HISTORY_UNAVAILABLE.format(why=problem)
    try:
        from text_to_manim import store

        st = store.open_store(settings.db_path)
        n = st.pending()
        return HISTORY_PENDING.format(n=n, why=st.busy or "busy") if n else ""
    except Exception as exc:
        return HISTORY_UNAVAILABLE.format(why=exc)


def queue_note(ahead: int, running: int) -> str:
    """The progress line of a job waiting for a free renderer: its place in the queue."""
    where = "yours is next" if ahead <= 0 else f"{ahead} job{'s' if ahead != 1 else ''} ahead of yours"
    label = f"Queued: {where} ({running} rendering now)…"
    return (f'<div class="t2m-progress t2m-queued" data-ahead="{max(0, ahead)}">'
            f'<div class="t2m-progress-label">{html.escape(label)}</div></div>')


def _when(ts) -> str:
    import time

    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(ts)))
    except (TypeError, ValueError):
        return str(ts or "")[:19]


def history_row(job: dict) -> list:
    prompt = str(job.get("prompt") or job.get("gallery_slug") or "(code)").replace("\n", " ")
    if len(prompt) > 140:
        prompt = prompt[:137] + "…"
    provider = str(job.get("provider") or "")
    model = str(job.get("model") or "")
    who = "offline" if provider == "offline" else (model or provider)
    status = str(job.get("status") or "") + (" · files removed (disk limit)" if job.get("pruned") else "")
    return [_when(job.get("created")), status, str(job.get("kind") or ""), prompt, who,
            str(job.get("id") or "")]


def job_artifacts(job: dict) -> dict:
    """kind -> path of a past job's files that still exist."""
    out = {}
    arts = job.get("artifacts") or {}
    if isinstance(arts, dict):
        for kind, p in arts.items():
            if isinstance(p, str) and p and Path(p).is_file():
                out[kind] = p
    d = Path(job.get("job_dir") or "")
    if str(d) not in ("", ".") and d.is_dir():
        guesses = {"code": "scene.py", "log": "render.log", "notes_md": "notes.md", "notes_tex": "notes.tex",
                   "notes_pdf": "notes.pdf", "preview": "preview.png"}
        for kind, name in guesses.items():
            if kind not in out and (d / name).is_file():
                out[kind] = str(d / name)
    return out


# --- downloads ----------------------------------------------------------------------------------------
def convert_video(src: str | Path, fmt: str, timeout: float = 300) -> Path:
    """The finished mp4 as a gif or webm next to it (for the Downloads tab)."""
    src = Path(src)
    if fmt not in ("gif", "webm"):
        raise ValueError(f"unsupported format {fmt!r}")
    dst = src.with_suffix("." + fmt)
    if dst.is_file() and dst.stat().st_mtime >= src.stat().st_mtime:
        return dst
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise RuntimeError("ffmpeg is not installed, so the video cannot be converted")
    if fmt == "gif":
        vf = "fps=15,scale='min(iw,720)':-2:flags=lanczos,split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse"
        args = [ffmpeg, "-y", "-loglevel", "error", "-i", str(src), "-vf", vf, "-loop", "0", str(dst)]
    else:
        args = [ffmpeg, "-y", "-loglevel", "error", "-i", str(src), "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "36",
                "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-an", str(dst)]
    tmp = dst.with_name(dst.stem + ".part" + dst.suffix)
    args[-1] = str(tmp)
    proc = sandbox.run_tool(src.parent, args, sandbox.Limits.for_quality("h", timeout))
    if proc.returncode != 0 or not tmp.is_file():
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"ffmpeg could not make a {fmt}: {proc.stderr.strip()[-300:]}")
    tmp.replace(dst)
    return dst
