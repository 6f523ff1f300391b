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
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import shutil
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Iterable, Optional

COOKIE = "t2m_session"
COOKIE_MAX_AGE = 365 * 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


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


class SessionCookie:
    """ASGI middleware: a request without a valid session cookie gets a new id, both in its own Cookie header
    (so the handler of this very request sees it) and in a Set-Cookie on the response."""

    def __init__(self, app, served: Optional["ServedFiles"] = None):
        self.app = app
        self.served = served

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            return await self.app(scope, receive, send)
        headers = list(scope.get("headers") or [])
        cookie = b"; ".join(v for k, v in headers if k == b"cookie").decode("latin-1")
        token = token_from_cookie_header(cookie)
        if self.served is not None and not self.served.may_fetch(scope.get("path", ""), owner_of(token)):
            return await _forbidden(send)
        if token:
            return await self.app(scope, receive, send)
        token = new_token()
        merged = f"{cookie}; {COOKIE}={token}" if cookie else f"{COOKIE}={token}"
        scope = dict(scope, headers=[(k, v) for k, v in headers if k != b"cookie"] + [(b"cookie", merged.encode())])
        set_cookie = f"{COOKIE}={token}; Path=/; Max-Age={COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax".encode()

        async def send_with_cookie(message):
            if message.get("type") == "http.response.start":
                message = dict(message, headers=list(message.get("headers") or []) + [(b"set-cookie", set_cookie)])
            await send(message)

        return await self.app(scope, receive, send_with_cookie)


async def _forbidden(send) -> None:
    body = b"This file belongs to another session."
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


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

    def serve(self, path, owner: Optional[str]) -> Optional[str]:
        """A served copy of `path` for `owner`; None when the file is missing or not a job's / public file."""
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
        dst = self.root / self._tag(owner) / job / mac / src.name
        if dst.is_file():
            return str(dst)
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{src.name}.{secrets.token_hex(4)}")
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
