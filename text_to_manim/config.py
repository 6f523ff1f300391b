"""Settings: defaults, overridden by `.env` and the environment, overridden by the UI/CLI.

The API key is held here and handed only to the provider; `public()` is what may be logged or stored.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUALITIES = {"l": (854, 480, 15), "m": (1280, 720, 30), "h": (1920, 1080, 60), "k": (3840, 2160, 60)}
FORMATS = ("mp4", "gif", "webm")
DEEPSEEK_BASE_URL = "https://api.deepseek.com"
DEEPSEEK_MODEL = "deepseek-reasoner"
OPENAI_BASE_URL = "https://api.openai.com/v1"
# Base URLs a visitor may choose when the app is served beyond loopback, unless T2M_ALLOWED_BASE_URLS says
# otherwise: the public endpoints the Settings tab offers (the operator's own LLM_BASE_URL is always allowed).
PUBLIC_BASE_URLS = (DEEPSEEK_BASE_URL, OPENAI_BASE_URL)


def _load_dotenv() -> None:
    try:
        from dotenv import load_dotenv
    except ImportError:  # the CLI's `doctor` must work before requirements are installed
        return
    load_dotenv(PROJECT_ROOT / ".env", override=False)


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _urls(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name)
    return default if raw is None else tuple(u for u in raw.replace(",", " ").split() if u)


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    provider: str = "offline"  # "offline" | "openai"
    model: str = DEEPSEEK_MODEL
    base_url: str = DEEPSEEK_BASE_URL
    api_key: str = field(default="", repr=False)
    quality: str = "l"
    format: str = "mp4"
    max_repair_rounds: int = 3
    render_timeout: int = 300  # wall-clock seconds for one sandboxed process
    job_disk_mb: int = 4096  # everything one job's sandboxed runs may write, together
    # RAM of one sandboxed run, all its processes and its /tmp and /dev/shm together (0: by quality, the
    # address-space limit of one process); and of one job's runs together (0: a run's for each render
    # chunk and one more for validation). Bounds where a memory cgroup can be made (`doctor` says).
    run_memory_mb: int = 0
    job_memory_mb: int = 0
    render_jobs: int = 2  # parallel render chunks for a long scene
    # Start the render beside validation (kept when the code validates unchanged): faster on 2+ cores, pure
    # extra work on one core or when only validation is wanted (a check of many scenes).
    early_render: bool = True
    render_concurrency: int = 2  # simultaneous renders in the app's queue; also the warm worker pool's size
    result_cache_mb: int = 2048  # finished videos kept for the same code again (0: off)
    media_max_gb: float = 5.0  # size bound of media/jobs; the oldest finished jobs' files go first
    max_jobs_per_session: int = 2  # queued + running jobs one app visitor may have at once
    max_jobs_per_client: int = 6  # the same, for all visitors from one client address together
    max_queued_jobs: int = 32  # queued + running jobs in the app at once, all visitors together
    trust_proxy: bool = False  # the client address is the last X-Forwarded-For entry (behind a proxy)
    history_max_jobs: int = 5000  # history rows kept; the oldest finished jobs' rows go first
    history_max_per_visitor: int = 200  # the same, for one app visitor's own jobs
    upload_max_mb: float = 0.0  # largest request to Gradio's upload route (the app takes no files: 0)
    upload_max_age_s: int = 86400  # uploaded (and served) files older than this are removed
    allowed_base_urls: tuple[str, ...] = PUBLIC_BASE_URLS  # visitor Base URLs when served beyond loopback
    ray_address: str = ""  # a Ray cluster for render chunks ("" = render on this machine)
    # narration (speech/): voice-over spoken at all; a scene without one narrated (gallery scenes too);
    # the voice ("" = the best available) and its pace; captions burned into the picture
    narration: bool = True
    narrate: bool = False
    voice: str = ""
    voice_speed: float = 1.0
    burn_captions: bool = False
    speech_cache_mb: int = 512  # the shared audio cache (speech of every job), least recently used out first
    media_dir: Path = PROJECT_ROOT / "media"
    db_path: Path = PROJECT_ROOT / "media" / "history.sqlite3"

    @property
    def jobs_dir(self) -> Path:
        return self.media_dir / "jobs"

    def with_(self, **changes) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def public(self) -> dict:
        """Everything but the key: safe for logs, history and the UI."""
        d = asdict(self)
        d.pop("api_key")
        d["api_key_set"] = bool(self.api_key)
        return {k: str(v) if isinstance(v, Path) else v for k, v in d.items()}


def load(**overrides) -> Settings:
    """Settings from defaults < .env < environment < explicit overrides (None means 'not given')."""
    _load_dotenv()
    env = os.environ
    key = env.get("LLM_API_KEY") or env.get("DEEPSEEK_API_KEY") or env.get("OPENAI_API_KEY") or ""
    base = env.get("LLM_BASE_URL") or (
        "https://api.openai.com/v1" if (env.get("OPENAI_API_KEY") and not env.get("DEEPSEEK_API_KEY")) else DEEPSEEK_BASE_URL
    )
    model = env.get("LLM_MODEL") or (DEEPSEEK_MODEL if base == DEEPSEEK_BASE_URL else "gpt-4o-mini")
    media = Path(env.get("T2M_MEDIA_DIR", PROJECT_ROOT / "media"))
    cores = os.cpu_count() or 2
    s = Settings(
        provider=env.get("T2M_PROVIDER") or ("openai" if key else "offline"),
        model=model,
        base_url=base,
        api_key=key,
        quality=env.get("T2M_QUALITY", "l"),
        format=env.get("T2M_FORMAT", "mp4"),
        max_repair_rounds=_int("T2M_MAX_REPAIR_ROUNDS", 3),
        render_timeout=_int("T2M_RENDER_TIMEOUT", 300),
        job_disk_mb=_int("T2M_JOB_DISK_MB", 4096),
        run_memory_mb=_int("T2M_RUN_MEMORY_MB", 0),
        job_memory_mb=_int("T2M_JOB_MEMORY_MB", 0),
        render_jobs=_int("T2M_RENDER_JOBS", min(cores, 4)),
        early_render=env.get("T2M_EARLY_RENDER", "1" if cores > 1 else "0").strip().lower()
        not in ("0", "off", "false", "no"),
        render_concurrency=_int("T2M_RENDER_CONCURRENCY", cores),
        result_cache_mb=_int("T2M_RESULT_CACHE_MB", 2048),
        media_max_gb=_float("T2M_MEDIA_MAX_GB", 5.0),
        max_jobs_per_session=_int("T2M_MAX_JOBS_PER_SESSION", 2),
        max_jobs_per_client=_int("T2M_MAX_JOBS_PER_CLIENT", 6),
        max_queued_jobs=_int("T2M_MAX_QUEUED_JOBS", 32),
        trust_proxy=env.get("T2M_TRUST_PROXY", "").strip().lower() in ("1", "true", "yes"),
        history_max_jobs=_int("T2M_HISTORY_MAX_JOBS", 5000),
        history_max_per_visitor=_int("T2M_HISTORY_MAX_PER_VISITOR", 200),
        upload_max_mb=_float("T2M_UPLOAD_MAX_MB", 0.0),
        upload_max_age_s=_int("T2M_UPLOAD_MAX_AGE", 86400),
        allowed_base_urls=_urls("T2M_ALLOWED_BASE_URLS", PUBLIC_BASE_URLS),
        ray_address=env.get("T2M_RAY_ADDRESS", "").strip(),
        narration=env.get("T2M_NARRATION", "1").strip().lower() not in ("0", "off", "false", "no"),
        narrate=env.get("T2M_NARRATE", "").strip().lower() in ("1", "on", "true", "yes"),
        voice=env.get("T2M_VOICE", "").strip().lower(),
        voice_speed=_float("T2M_VOICE_SPEED", 1.0),
        burn_captions=env.get("T2M_BURN_CAPTIONS", "").strip().lower() in ("1", "on", "true", "yes"),
        speech_cache_mb=_int("T2M_SPEECH_CACHE_MB", 512),
        media_dir=media,
        db_path=Path(env.get("T2M_DB", media / "history.sqlite3")),
    )
    return s.with_(**overrides)
