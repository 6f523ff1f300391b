"""A real OpenAI-compatible chat-completions server on 127.0.0.1, scripted per test.

It speaks `POST /v1/chat/completions` (streaming SSE `data: {json}` chunks ending in `data: [DONE]`, or a
plain JSON body when `stream` is false) and `GET /v1/models`, and records every request it got so a test
can assert on what the client sent (e.g. that a repair prompt carried the error line).

    with ScriptedLLM([Reply(reasoning="thinking...", content="```python\\n...```")]) as llm:
        settings = config.Settings(provider="openai", base_url=llm.base_url, api_key="k", model="m")
        ...
        assert "line 7" in llm.requests[1]["messages"][-1]["content"]

A script entry is a `Reply`, or a callable `(request_json) -> Reply` (to answer by content). Entries are
consumed in order; when the script runs out the server answers 500 "script exhausted", which makes an
unexpected extra call visible in the test instead of hanging it.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional, Union


class _QuietServer(ThreadingHTTPServer):
    """A client closing a keep-alive connection is normal here, not a traceback on stderr."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


@dataclass
class Reply:
    content: str = ""
    reasoning: str = ""  # streamed as `reasoning_content` deltas before the content (DeepSeek style)
    status: int = 200
    error: str = ""  # message of an error body when status != 200
    headers: dict = field(default_factory=dict)  # e.g. {"retry-after": "0"}
    chunk_size: int = 16  # characters per SSE chunk
    delay: float = 0.0  # seconds between chunks
    first_delay: float = 0.0  # seconds before the first chunk (time-to-first-token tests)
    cut_after: Optional[int] = None  # drop the connection after this many chunks (no [DONE])
    finish_reason: str = "stop"


Script = Union[Reply, Callable[[dict], Reply]]


def _chunks(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] if text else []


class ScriptedLLM:
    def __init__(self, script: Optional[list[Script]] = None, model: str = "scripted-model",
                 route: Optional[Callable[[dict], Optional[Reply]]] = None):
        self.script: list[Script] = list(script or [])
        # answers by content before the script (requests that come in no set order, e.g. a lesson's parallel
        # scenes); None: the script's next entry answers
        self.route = route
        self.model = model
        self.requests: list[dict] = []  # JSON bodies, in order
        self.headers: list[dict] = []  # request headers, in order
        self._lock = threading.Lock()
        self._server: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    # -- lifecycle -----------------------------------------------------------------------------------
    def start(self) -> ScriptedLLM:
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ScriptedLLM:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server, "server not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *replies: Script) -> None:
        with self._lock:
            self.script.extend(replies)

    def _next(self, body: dict) -> Reply:
        with self._lock:
            self.requests.append(body)
            routed = self.route(body) if self.route is not None else None
            if routed is not None:
                return routed
            if not self.script:
                return Reply(status=500, error="script exhausted: the test did not expect this request")
            entry = self.script.pop(0)
        return entry(body) if callable(entry) else entry

    # -- HTTP ------------------------------------------------------------------------------------------
    def _handler(self):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def _json(self, status: int, obj: dict, headers: Optional[dict] = None) -> None:
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": outer.model, "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    self._json(400, {"error": {"message": "invalid JSON"}})
                    return
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                with outer._lock:
                    outer.headers.append({k.lower(): v for k, v in self.headers.items()})
                reply = outer._next(body)
                if reply.status != 200:
                    kind = {401: "authentication_error", 404: "invalid_request_error",
                            429: "rate_limit_error"}.get(reply.status, "server_error")
                    code = {404: "model_not_found"}.get(reply.status)
                    self._json(reply.status, {"error": {"message": reply.error or f"HTTP {reply.status}",
                                                        "type": kind, "code": code}}, reply.headers)
                    return
                if body.get("stream"):
                    self._stream(reply, body)
                else:
                    self._json(200, {
                        "id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
                        "model": body.get("model", outer.model),
                        "choices": [{"index": 0, "finish_reason": reply.finish_reason, "message": {
                            "role": "assistant", "content": reply.content,
                            "reasoning_content": reply.reasoning or None}}],
                    })

            def _stream(self, reply: Reply, body: dict) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()

                def send(raw: bytes) -> None:
                    self.wfile.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
                    self.wfile.flush()

                def event(delta: dict, finish: Optional[str] = None) -> bytes:
                    obj = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk",
                           "created": int(time.time()), "model": body.get("model", outer.model),
                           "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                    return f"data: {json.dumps(obj)}\n\n".encode()

                deltas = [{"role": "assistant", "content": ""}]
                deltas += [{"reasoning_content": c} for c in _chunks(reply.reasoning, reply.chunk_size)]
                deltas += [{"content": c} for c in _chunks(reply.content, reply.chunk_size)]
                try:
                    if reply.first_delay:
                        time.sleep(reply.first_delay)
                    for i, d in enumerate(deltas):
                        if reply.cut_after is not None and i >= reply.cut_after:
                            # Drop the connection mid-stream: no terminating chunk, no [DONE].
                            self.close_connection = True
                            self.wfile.flush()
                            self.connection.shutdown(2)
                            return
                        send(event(d))
                        if reply.delay:
                            time.sleep(reply.delay)
                    send(event({}, reply.finish_reason))
                    send(b"data: [DONE]\n\n")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away (cancel); nothing to do

        return Handler


def storyboard_reply(title: str, scenes: list[dict], audience: str = "students", reasoning: str = "") -> Reply:
    """A model's storyboard answer: a little prose, then the plan in a ```json block (prompts.STORYBOARD_SYSTEM)."""
    plan = json.dumps({"title": title, "audience": audience, "scenes": scenes}, indent=1)
    return Reply(reasoning=reasoning or "Planning the lesson scene by scene.",
                 content=f"Here is the storyboard.\n\n```json\n{plan}\n```\n")


def scene_reply(code: str, notes: str = "# Notes\nA scene.") -> Reply:
    """A model's scene answer in the response format (## Code, then ## Notes)."""
    return Reply(content=f"## Code\n```python\n{code.strip()}\n```\n## Notes\n{notes}\n")
