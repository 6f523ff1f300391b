"""The app's job queue: at most `slots` jobs run at once, first come first served, and one visitor holds at
most `per_owner` places (queued + running) at a time, so one person cannot fill the queue for everyone.

Plain threading, no gradio: the app polls `Ticket.position()` / `Ticket.try_start()` from its (async)
handlers and shows the position; a ticket is always released in a `finally`, whether its job ran, was
cancelled while waiting, or its page went away.
"""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Optional

TOO_MANY = ("You already have {n} jobs queued or running, the most one visitor may have at once "
            "(T2M_MAX_JOBS_PER_SESSION). This one was not started: wait for one of them to finish, or cancel "
            "it, then try again.")


@dataclass(eq=False)
class Ticket:
    queue: "JobQueue"
    owner: str
    n: int
    running: bool = False
    released: bool = False

    def position(self) -> int:
        """How many jobs are ahead of this one in the queue (0 once it runs, or when it is next)."""
        return self.queue._ahead(self)

    def try_start(self) -> bool:
        """Take a free slot if this ticket is first in line; True once it runs."""
        return self.queue._try_start(self)

    def release(self) -> None:
        self.queue._release(self)


@dataclass
class JobQueue:
    slots: int = 2
    per_owner: int = 2
    _waiting: list = field(default_factory=list)
    _running: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _count: itertools.count = field(default_factory=itertools.count)

    def enter(self, owner: str) -> Optional[Ticket]:
        """A place in the queue, or None when this visitor already holds `per_owner` places."""
        with self._lock:
            held = sum(1 for t in self._waiting + self._running if t.owner == owner)
            if held >= max(1, self.per_owner):
                return None
            t = Ticket(self, owner, next(self._count))
            self._waiting.append(t)
            return t

    def refusal(self) -> str:
        return TOO_MANY.format(n=max(1, self.per_owner))

    def _ahead(self, t: Ticket) -> int:
        with self._lock:
            return self._waiting.index(t) if t in self._waiting else 0

    def _try_start(self, t: Ticket) -> bool:
        with self._lock:
            if t.running:
                return True
            if t.released or not self._waiting or self._waiting[0] is not t or len(self._running) >= max(1, self.slots):
                return False
            self._waiting.pop(0)
            self._running.append(t)
            t.running = True
            return True

    def _release(self, t: Ticket) -> None:
        with self._lock:
            t.released = True
            for group in (self._waiting, self._running):
                if t in group:
                    group.remove(t)

    def stats(self) -> tuple[int, int]:
        """(running, waiting) right now."""
        with self._lock:
            return len(self._running), len(self._waiting)
