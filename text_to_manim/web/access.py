"""Per-visitor access for the app: who a visitor is, and the only way their job files leave the server.

- Identity: a random, unguessable session id (256 bits) in an HttpOnly cookie, set by `SessionCookie` (an
  ASGI middleware) on a visitor's first request. It survives reloads of the page; no accounts. The history
  database stores only `owner_of(id)`, a one-way hash, never the id itself.
- Files: media/jobs is not served at all (it is in Gradio's blocked paths). A job file the app shows its
  owner goes out as a served copy (`ServedFiles.serve`): a hard link (or copy) in Gradio's upload folder
  under `<owner tag>/<job>/<mac>/<name>`, both tag and mac derived with a per-process secret, so only the
  page of the visitor whose job made it learns the URL; and the middleware answers 403 to a request for a
  served copy whose owner tag is not the requester's own, so even a leaked URL serves no one else. A guessed
  job id or path gets a 403.
- Pages: Gradio keys a page's state (gr.State), its queue stream and its cancels by a `session_hash` the
  client chooses. `PageOwners` binds each session_hash to the first session cookie that uses it; a request
  that names a page of another cookie gets a 403, so nobody can read, cancel or take over another visitor's
  page by sending its session_hash.
- Bounds on requests: a JSON body is read whole only up to `MAX_BODY`; Gradio's upload route takes at most
  the operator's upload limit (T2M_UPLOAD_MAX_MB; 0, the default, refuses uploads: the app takes no files).
- Client address: the ASGI peer, or with `trust_proxy` the last X-Forwarded-For entry (the one the
  operator's proxy added), for the per-client bound of the job queue.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import threading
from collections import OrderedDict
from collections.abc import Iterable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs

COOKIE = "t2m_session"
COOKIE_MAX_AGE = 365 * 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)
MAX_BODY = 4 * 1024 * 1024  # bytes of a JSON request body (a job's code and settings are far less)
MAX_PAGES = 100_000  # session_hash claims remembered; the least recently used go first
NOT_YOUR_PAGE = (b"This page belongs to another session (the session cookie changed since it was opened). "
                 b"Reload the page to start afresh.")
TOO_LARGE = b"This request is larger than the server takes."
UPLOAD_REFUSED = (b"Uploads are limited to {limit} bytes on this server (T2M_UPLOAD_MAX_MB); this one was "
                  b"refused. The app takes no files: nothing needs uploading.")
LENGTH_REQUIRED = b"An upload must say its size (Content-Length)."
SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")  # what a served copy's given name may hold
_PATH_HASH = re.compile(r"/(?:heartbeat|stream)/([^/]+)")  # Gradio routes with the session_hash in the path


def new_token() -> str:
    return secrets.token_urlsafe(32)


def valid_token(token: Optional[str]) -> bool:
    return bool(token) and bool(_TOKEN.match(token or ""))


def owner_of(token: Optional[str]) -> Optional[str]:
    """The hash the history stores for a session id (None for an invalid one: it owns nothing)."""
    if token is None or not valid_token(token):
        return None
    return hashlib.sha256(b"t2m-owner\0" + token.encode()).hexdigest()[:32]


def token_from_cookie_header(header: str) -> Optional[str]:
    jar = SimpleCookie()
    try:
        jar.load(header or "")
    except Exception:
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None and valid_token(morsel.value) else None


def client_address(peer: Optional[str], forwarded_for: str = "", trust_proxy: bool = False) -> str:
    """Who sent a request, for the per-client bound: the TCP peer, or behind the operator's proxy (only when
    they say so: anyone can write the header) the last X-Forwarded-For entry, the one that proxy added."""
    if trust_proxy:
        last = (forwarded_for or "").split(",")[-1].strip()
        if last:
            return last
    return peer or ""


class PageOwners:
    """Which session cookie owns each Gradio page (session_hash): the first one that used it."""

    def __init__(self, limit: int = MAX_PAGES):
        self.limit = limit
        self._owners: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, session_hash: str, owner: Optional[str]) -> bool:
        """True when `owner` may act for this page (it is theirs, or nobody's yet and now theirs)."""
        if not owner:
            return False
        with self._lock:
            held = self._owners.get(session_hash)
            if held is None:
                self._owners[session_hash] = owner
                while len(self._owners) > self.limit:
                    self._owners.popitem(last=False)
                return True
            self._owners.move_to_end(session_hash)
            return held == owner


def _session_hashes(scope, body: Optional[bytes]) -> set[str]:
    """The session_hash(es) a Gradio request names: in the query, the path, or a JSON body."""
    found = set(parse_qs(scope.get("query_string", b"").decode("latin-1")).get("session_hash", []))
    found.update(_PATH_HASH.findall(scope.get("path", "")))
    if body:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("session_hash"), str):
            found.add(data["session_hash"])
    return found


async def _read_body(receive, limit: int) -> Optional[bytes]:
    """The whole request body, or None when it is larger than `limit` (or the client went away)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message.get("type") != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes, receive):
    sent = False

    async def again():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


class SessionCookie:
    """ASGI middleware: a request without a valid session cookie gets a new id, both in its own Cookie header
    (so the handler of this very request sees it) and in a Set-Cookie on the response. It also binds pages
    to cookies (`PageOwners`) and bounds request bodies and uploads."""

    def __init__(self, app, served: Optional[ServedFiles] = None, pages: Optional[PageOwners] = None,
                 upload_limit: Optional[int] = None):
        self.app = app
        self.served = served
        self.pages = pages
        self.upload_limit = upload_limit  # bytes; None: no bound

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            return await self.app(scope, receive, send)
        headers = list(scope.get("headers") or [])
        cookie = b"; ".join(v for k, v in headers if k == b"cookie").decode("latin-1")
        token = token_from_cookie_header(cookie)
        if self.served is not None and not self.served.may_fetch(scope.get("path", ""), owner_of(token)):
            return await _forbidden(send)
        refusal = self._upload_refusal(scope, headers)
        if refusal is not None:
            return await _plain(send, *refusal)
        fresh = not token
        if fresh:
            token = new_token()
        if self.pages is not None:
            body = None
            # any body but an upload's: FastAPI parses a body without a content type as JSON too
            if scope.get("method") == "POST" and not _header(headers, b"content-type").startswith(b"multipart/"):
                body = await _read_body(receive, MAX_BODY)
                if body is None:
                    return await _plain(send, 413, TOO_LARGE)
                receive = _replay(body, receive)
            owner = owner_of(token)
            if not all(self.pages.claim(h, owner) for h in _session_hashes(scope, body)):
                return await _plain(send, 403, NOT_YOUR_PAGE)
        if not fresh:
            return await self.app(scope, receive, send)
        merged = f"{cookie}; {COOKIE}={token}" if cookie else f"{COOKIE}={token}"
        scope = dict(scope, headers=[(k, v) for k, v in headers if k != b"cookie"] + [(b"cookie", merged.encode())])
        set_cookie = f"{COOKIE}={token}; Path=/; Max-Age={COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax".encode()

        async def send_with_cookie(message):
            if message.get("type") == "http.response.start":
                message = dict(message, headers=list(message.get("headers") or []) + [(b"set-cookie", set_cookie)])
            await send(message)

        return await self.app(scope, receive, send_with_cookie)


    def _upload_refusal(self, scope, headers) -> Optional[tuple[int, bytes]]:
        """(status, why) for an upload beyond the limit, judged by its declared size before it is read (the
        server holds a body to its Content-Length); Gradio's max_file_size bounds each file as well."""
        if self.upload_limit is None or not scope.get("path", "").rstrip("/").endswith("/upload"):
            return None
        length = _header(headers, b"content-length")
        if not length.isdigit():
            return 411, LENGTH_REQUIRED
        if int(length) > self.upload_limit:
            return 413, UPLOAD_REFUSED.replace(b"{limit}", str(self.upload_limit).encode())
        return None


def _header(headers, name: bytes) -> bytes:
    return next((v for k, v in headers if k.lower() == name), b"").strip()


async def _plain(send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _forbidden(send) -> None:
    await _plain(send, 403, b"This file belongs to another session.")


FILE_ROUTES = ("/file=", "/file/")  # Gradio's file routes (the second is its deprecated spelling)


class ServedFiles:
    """Copies of job files that one visitor's page may fetch through Gradio's /file= route."""

    def __init__(self, root: Path, jobs_dir: Path, public_dirs: Iterable[Path] = ()):
        self.root = Path(root)
        self.jobs_dir = Path(jobs_dir).resolve()
        self.public_dirs = [Path(p).resolve() for p in public_dirs]
        self._secret = secrets.token_bytes(32)

    def _tag(self, owner: str) -> str:
        return hmac.new(self._secret, b"tag\0" + owner.encode(), hashlib.sha256).hexdigest()[:24]

    def may_fetch(self, url_path: str, owner: Optional[str]) -> bool:
        """False for a request of a served copy that is not this owner's (any other request: True)."""
        for marker in FILE_ROUTES:
            if marker in url_path:
                target = url_path.split(marker, 1)[1]
                break
        else:
            return True
        real = Path(os.path.realpath(target if target.startswith("/") else "/" + target))
        root = Path(os.path.realpath(self.root))
        if not real.is_relative_to(root):
            return True
        parts = real.relative_to(root).parts
        return owner is not None and bool(owner) and len(parts) > 1 and parts[0] == self._tag(owner)

    def _job_of(self, path: Path) -> Optional[str]:
        """The job folder a path is in, checked both as written and with links resolved: a link a scene
        planted in its own folder must not reach another job's file."""
        plain, real = Path(os.path.abspath(path)), path.resolve()
        if not (plain.is_relative_to(self.jobs_dir) and real.is_relative_to(self.jobs_dir)):
            return None
        a, b = plain.relative_to(self.jobs_dir).parts, real.relative_to(self.jobs_dir).parts
        return a[0] if len(a) > 1 and len(b) > 1 and a[0] == b[0] else None

    def serve(self, path, owner: Optional[str], name: str = "") -> Optional[str]:
        """A served copy of `path` for `owner`; None when the file is missing or not a job's / public file.
        `name`: the copy's file name, when the app names it (a lesson's clips: scene01-….mp4); else the file's."""
        if not path or not owner:
            return None
        src = Path(path)
        try:
            if not src.is_file():
                return None
            st = src.stat()
        except OSError:
            return None
        job = self._job_of(src)
        if job is None:
            real = src.resolve()
            if not any(real.is_relative_to(d) for d in self.public_dirs):
                return None
            job = "_public"
        mac = hmac.new(self._secret, f"{owner}\0{src.resolve()}\0{st.st_mtime_ns}\0{st.st_size}".encode(),
                       hashlib.sha256).hexdigest()[:40]
        name = SAFE_NAME.sub("-", name).strip("-.") if name else src.name
        dst = self.root / self._tag(owner) / job / mac / (name or src.name)
        if dst.is_file():
            return str(dst)
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}.{secrets.token_hex(4)}")
        try:
            os.link(src.resolve(), tmp)  # no extra space while the job folder exists
        except OSError:
            shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
        return str(dst)

    def forget_job(self, job_dir: Path) -> None:
        """The disk bound removed a job: its served copies go too."""
        for d in self.root.glob(f"*/{Path(job_dir).name}"):
            shutil.rmtree(d, ignore_errors=True)
