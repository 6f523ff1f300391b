"""Model providers behind one small interface, `Provider`:

    provider.stream(messages, cancel) -> Iterator[ReasoningDelta | TextDelta | Retrying]

`ReasoningDelta` is the model's thinking (DeepSeek's `reasoning_content`, or `<think>…</think>` inside the
content, as local R1 distills send it); `TextDelta` is the answer, which the pipeline splits live into
code and notes (`extract.LiveSplitter`); `Retrying` says an attempt failed and another follows. The deltas
are part of the event vocabulary (`events.py`).

Failures are typed `ProviderError`s whose message says what to do about them. A stream cut mid-way raises
`StreamCut` *after* everything that arrived has been yielded, so the caller keeps it.

The offline provider (no model at all, `generate/offline/`) satisfies `Provider` too; the pipeline builds
it itself, so `get` returns only providers that call a model.
"""
from __future__ import annotations

import ipaddress
import os
import threading
from collections.abc import Iterable, Iterator
from typing import Optional, Protocol
from urllib.parse import urlparse, urlsplit

from text_to_manim import config
from text_to_manim.events import Delta, ReasoningDelta, Retrying, TextDelta

CONNECT_TIMEOUT = 15.0
# deepseek-reasoner can think for minutes, but it streams while it does: this bounds the gap between chunks.
READ_TIMEOUT = float(os.environ.get("T2M_LLM_READ_TIMEOUT", "180"))
MAX_ATTEMPTS = 4  # first try + 3 retries on 429 / 5xx / timeouts
BACKOFF = 1.0  # seconds; doubled each retry unless the server says Retry-After
MAX_WAIT = 30.0

UNKNOWN_PROVIDER = "unknown provider {name!r}: use 'openai' or 'offline'"


class Provider(Protocol):
    """What the pipeline asks of anything that answers a prompt: one streamed answer to chat messages."""

    name: str
    model: str

    def stream(self, messages: list[dict], cancel: Optional[threading.Event] = None,
               *, max_tokens: Optional[int] = None) -> Iterator[Delta]:
        """Reasoning and answer deltas in order; raises `Cancelled` once `cancel` is set."""
        ...


class ProviderError(Exception):
    """A model call failed; `str(err)` is a complete, actionable message."""

    kind = "provider"
    retryable = False

    def __init__(self, message: str, *, status: Optional[int] = None):
        super().__init__(message)
        self.status = status


class AuthError(ProviderError):
    kind = "auth"


class ModelNotFound(ProviderError):
    kind = "model-not-found"


class Unreachable(ProviderError):
    kind = "unreachable"


class RateLimited(ProviderError):
    kind = "rate-limited"
    retryable = True


class ServerError(ProviderError):
    kind = "server-error"
    retryable = True


class ProviderTimeout(ProviderError):
    kind = "timeout"
    retryable = True


class BadRequest(ProviderError):
    kind = "bad-request"


class StreamCut(ProviderError):
    """The connection dropped after part of the answer arrived (already yielded to the caller)."""

    kind = "stream-cut"

    def __init__(self, message: str, *, text: str = "", reasoning: str = ""):
        super().__init__(message)
        self.text = text
        self.reasoning = reasoning


class Cancelled(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------
def key_source(settings: config.Settings) -> str:
    """Where the key in use came from, in words a person can act on (never the key itself)."""
    key = settings.api_key
    if not key:
        return "no API key"
    env_file = config.PROJECT_ROOT / ".env"
    try:
        env_text = env_file.read_text(encoding="utf-8") if env_file.exists() else ""
    except OSError:
        env_text = ""
    for name in ("LLM_API_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY"):
        if os.environ.get(name) == key:
            where = " (from .env)" if f"{name}=" in env_text.replace(" ", "") else " (from the environment)"
            return name + where
    return "the key given in the app's Settings or on the command line"


def is_local(url: str) -> bool:
    """True for a server on this machine (or the local network's .local names), which needs no key."""
    host = (urlparse(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".local"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name, even one that starts like 127.0.0.1 ("127.0.0.1.example.com")
    return address.is_loopback or address.is_unspecified


def needs_key(settings: config.Settings) -> bool:
    """Local servers (Ollama, vLLM, LM Studio on this machine) take any key, or none."""
    return not is_local(settings.base_url)


BASE_URL_NOT_ALLOWED = (
    "This server is reachable beyond its own machine, so it calls only the model servers its operator allows "
    "(T2M_ALLOWED_BASE_URLS), and {url!r} is not one of them. Choose one of: {allowed}. To use any other "
    "server, run the app on your own machine (python app.py), where every Base URL works.")


def _url_key(url: str) -> Optional[tuple]:
    """(scheme, host, port, path) of an http(s) URL; None for anything else, or a URL with a user name,
    query or fragment (nothing an API base needs, and ways to dress one host up as another)."""
    try:
        u = urlsplit((url or "").strip())
        port = u.port or (443 if u.scheme == "https" else 80)
    except ValueError:
        return None
    if u.scheme not in ("http", "https") or not u.hostname or u.username or u.password or u.query or u.fragment:
        return None
    return u.scheme, u.hostname.lower(), port, u.path.rstrip("/")


def base_url_refusal(url: str, allowed: Iterable[str]) -> Optional[str]:
    """Why a visitor's Base URL is not taken (None when it is one of `allowed`). Compared as written, never
    resolved: which host is meant is the operator's decision, not the DNS's."""
    allowed = [a for a in allowed if a]
    key = _url_key(url)
    if key is not None and key in {_url_key(a) for a in allowed}:
        return None
    return BASE_URL_NOT_ALLOWED.format(url=url, allowed=", ".join(dict.fromkeys(a.rstrip("/") for a in allowed)))


def provider_label(settings: config.Settings) -> str:
    """Who answers, in words for messages ("DeepSeek rejected the key …")."""
    host = (urlparse(settings.base_url).hostname or "").lower()
    if "deepseek" in host:
        return "DeepSeek"
    if host == "openai.com" or host.endswith(".openai.com"):
        return "OpenAI"
    return f"the server at {settings.base_url}"


class ThinkSplitter:
    """Split content into reasoning (inside <think>…</think>) and answer text, across chunk boundaries."""

    OPEN, CLOSE = "<think>", "</think>"

    def __init__(self) -> None:
        self.inside = False
        self.buf = ""

    def feed(self, text: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        self.buf += text
        while self.buf:
            tag = self.CLOSE if self.inside else self.OPEN
            i = self.buf.find(tag)
            if i >= 0:
                if i:
                    out.append(("reasoning" if self.inside else "text", self.buf[:i]))
                self.buf = self.buf[i + len(tag):]
                self.inside = not self.inside
                continue
            # Hold back a suffix that could be the start of the tag.
            keep = 0
            for n in range(min(len(tag) - 1, len(self.buf)), 0, -1):
                if tag.startswith(self.buf[-n:]):
                    keep = n
                    break
            emit, self.buf = self.buf[:len(self.buf) - keep], self.buf[len(self.buf) - keep:]
            if emit:
                out.append(("reasoning" if self.inside else "text", emit))
            break
        return out

    def flush(self) -> list[tuple[str, str]]:
        rest, self.buf = self.buf, ""
        return [("reasoning" if self.inside else "text", rest)] if rest else []


# ---------------------------------------------------------------------------------------------------------
class OpenAIProvider:
    """Any OpenAI-compatible chat completions endpoint, streamed through the `openai` SDK."""

    name = "openai"

    def __init__(self, settings: config.Settings, *, attempts: int = MAX_ATTEMPTS, backoff: float = BACKOFF,
                 read_timeout: float = READ_TIMEOUT):
        self.settings = settings
        self.model = settings.model
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.read_timeout = read_timeout
        self._client = None

    def client(self):
        if self._client is None:
            import openai

            if not self.settings.api_key and needs_key(self.settings):
                raise AuthError(
                    f"No API key is set for {provider_label(self.settings)}. Put DEEPSEEK_API_KEY=... (or "
                    "LLM_API_KEY with LLM_BASE_URL/LLM_MODEL for another server) in .env or the app's "
                    "Settings, or use --provider offline.")
            self._client = openai.OpenAI(
                api_key=self.settings.api_key or "no-key", base_url=self.settings.base_url, max_retries=0,
                timeout=openai.Timeout(self.read_timeout, connect=CONNECT_TIMEOUT))
        return self._client

    # -- errors ------------------------------------------------------------------------------------------
    def _translate(self, exc: Exception) -> ProviderError:
        import openai

        s, label = self.settings, provider_label(self.settings)
        status = getattr(exc, "status_code", None)
        detail = _error_detail(exc)
        if isinstance(exc, openai.AuthenticationError) or status == 401:
            return AuthError(
                f"{label} rejected the key in {key_source(s)} (HTTP 401{': ' + detail if detail else ''}). "
                "Set a valid key in .env or the app's Settings, or use --provider offline.", status=401)
        if isinstance(exc, openai.PermissionDeniedError) or status == 403:
            return AuthError(f"{label} refused access with the key in {key_source(s)} (HTTP 403: {detail}). "
                             "Check the key's permissions or billing.", status=403)
        if isinstance(exc, openai.NotFoundError) or status == 404:
            return ModelNotFound(
                f"{label} has no model {s.model!r} at {s.base_url} (HTTP 404{': ' + detail if detail else ''}). "
                "Set LLM_MODEL (or --model) to a model the server lists, and check LLM_BASE_URL "
                "(OpenAI-compatible servers usually end in /v1).", status=404)
        if isinstance(exc, openai.RateLimitError) or status == 429:
            return RateLimited(f"{label} is rate limiting requests (HTTP 429{': ' + detail if detail else ''})",
                               status=429)
        if isinstance(exc, openai.APITimeoutError):
            return ProviderTimeout(f"{label} did not answer within {self.read_timeout:.0f} s")
        if isinstance(exc, openai.APIConnectionError):
            cause = repr(exc.__cause__ or exc.__context__ or exc)
            if "refused" in cause.lower() or "errno 111" in cause.lower():
                why = "connection refused"
            elif "name" in cause.lower() and ("resolution" in cause.lower() or "not known" in cause.lower()):
                why = "the host name does not resolve"
            else:
                why = str(exc) or "connection error"
            return Unreachable(
                f"Could not connect to {s.base_url} ({why}). Is the server running and the URL right "
                "(LLM_BASE_URL or --base-url)? Without network use --provider offline.")
        if status is not None and status >= 500:
            return ServerError(f"{label} failed with HTTP {status}{': ' + detail if detail else ''}",
                               status=status)
        if isinstance(exc, openai.BadRequestError) or status == 400:
            return BadRequest(f"{label} rejected the request (HTTP 400: {detail}). Check the model name and "
                              "its context length.", status=400)
        return ProviderError(f"{label}: {exc}", status=status)

    def _retry_wait(self, exc: Exception, attempt: int) -> float:
        response = getattr(exc, "response", None)
        header = None
        if response is not None:
            try:
                header = response.headers.get("retry-after")
            except Exception:
                header = None
        if header is not None:
            try:
                return min(MAX_WAIT, max(0.0, float(header)))
            except ValueError:
                pass
        return min(MAX_WAIT, self.backoff * (2 ** (attempt - 1)))

    # -- streaming -----------------------------------------------------------------------------------------
    def stream(self, messages: list[dict], cancel: Optional[threading.Event] = None,
               *, max_tokens: Optional[int] = None) -> Iterator[Delta]:
        import openai

        cancel = cancel or threading.Event()
        client = self.client()
        stream = None
        for attempt in range(1, self.attempts + 1):
            try:
                kwargs = {"model": self.model, "messages": messages, "stream": True}
                if max_tokens:
                    kwargs["max_tokens"] = max_tokens
                stream = client.chat.completions.create(**kwargs)
                break
            except openai.APIError as exc:
                err = self._translate(exc)
                if not err.retryable or attempt == self.attempts:
                    raise err from exc
                wait = self._retry_wait(exc, attempt)
                yield Retrying(attempt, self.attempts, wait, str(err))
                if cancel.wait(wait):
                    raise Cancelled()
        assert stream is not None

        think = ThinkSplitter()
        text_parts: list[str] = []
        reasoning_parts: list[str] = []
        finished = False

        def emit(pairs):
            for kind, piece in pairs:
                if kind == "reasoning":
                    reasoning_parts.append(piece)
                    yield ReasoningDelta(piece)
                else:
                    text_parts.append(piece)
                    yield TextDelta(piece)

        try:
            for chunk in stream:
                if cancel.is_set():
                    raise Cancelled()
                for choice in chunk.choices or ():
                    delta = choice.delta
                    if delta is not None:
                        r = getattr(delta, "reasoning_content", None) or getattr(delta, "reasoning", None)
                        if isinstance(r, str) and r:
                            reasoning_parts.append(r)
                            yield ReasoningDelta(r)
                        if delta.content:
                            yield from emit(think.feed(delta.content))
                    if choice.finish_reason:
                        finished = True
            yield from emit(think.flush())
        except Cancelled:
            raise
        except openai.APIStatusError as exc:  # an error event inside the stream
            yield from emit(think.flush())
            if not (text_parts or reasoning_parts):
                raise self._translate(exc) from exc
            raise StreamCut(self._cut_message(str(exc), text_parts), text="".join(text_parts),
                            reasoning="".join(reasoning_parts)) from exc
        except Exception as exc:  # connection dropped, read timeout, bad chunk
            yield from emit(think.flush())
            if not (text_parts or reasoning_parts):
                raise self._translate(exc) if isinstance(exc, openai.APIError) else Unreachable(
                    f"The connection to {self.settings.base_url} failed before anything arrived: {exc}") from exc
            raise StreamCut(self._cut_message(type(exc).__name__, text_parts), text="".join(text_parts),
                            reasoning="".join(reasoning_parts)) from exc
        finally:
            try:
                stream.close()
            except Exception:
                pass
        if not finished:
            raise StreamCut(self._cut_message("the stream ended without a finish", text_parts),
                            text="".join(text_parts), reasoning="".join(reasoning_parts))

    def _cut_message(self, why: str, text_parts: list[str]) -> str:
        n = sum(len(t) for t in text_parts)
        return (f"The answer from {provider_label(self.settings)} was cut off mid-way ({why}); "
                f"keeping the {n} characters that arrived.")

    def complete(self, messages: list[dict], cancel: Optional[threading.Event] = None) -> tuple[str, str]:
        """The whole (reasoning, text) of one streamed call; for short auxiliary questions."""
        r, t = [], []
        for d in self.stream(messages, cancel):
            if isinstance(d, ReasoningDelta):
                r.append(d.text)
            elif isinstance(d, TextDelta):
                t.append(d.text)
        return "".join(r), "".join(t)


def _error_detail(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error")
        msg = err.get("message") if isinstance(err, dict) else body.get("message")
        if msg:
            return str(msg)[:300]
    return ""


def get(settings: config.Settings) -> OpenAIProvider:
    """The model provider for these settings (the pipeline serves `offline` itself: it needs no model)."""
    if settings.provider == "openai":
        return OpenAIProvider(settings)
    raise ValueError(UNKNOWN_PROVIDER.format(name=settings.provider))


__all__ = ["Provider", "Delta", "TextDelta", "Retrying", "ProviderError", "AuthError", "ModelNotFound",
           "Unreachable", "RateLimited", "ServerError", "ProviderTimeout", "BadRequest", "StreamCut", "Cancelled",
           "OpenAIProvider", "ThinkSplitter", "get", "key_source", "is_local", "needs_key", "provider_label"]
