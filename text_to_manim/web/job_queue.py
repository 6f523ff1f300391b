"""The app's job queue: at most `slots` jobs run at once, first come first served. Three bounds on places
(queued + running): one visitor (session cookie) holds at most `per_owner`, one client address at most
`per_client` (a visitor who drops cookies is a new session each request, but still the same address), and
the whole queue at most `total`, beyond which a job is refused at once with an estimate of when to come back
rather than left waiting for a very long time.

Plain threading, no gradio: the app polls `Ticket.position()` / `Ticket.try_start()` from its (async)
handlers and shows the position; a ticket is always released in a `finally`, whether its job ran, was
cancelled while waiting, or its page went away.
"""
from __future__ import annotations

import itertools
import math
import threading
import time
from dataclasses import dataclass, field

TOO_MANY = ("You already have {n} jobs queued or running, the most one visitor may have at once "
            "(T2M_MAX_JOBS_PER_SESSION). This one was not started: wait for one of them to finish, or cancel "
            "it, then try again.")
TOO_MANY_FROM_CLIENT = ("Your address already has {n} jobs queued or running, the most one client may have at "
                        "once (T2M_MAX_JOBS_PER_CLIENT), whatever its sessions. This one was not started: wait "
                        "for one of them to finish, then try again.")
BUSY = ("The server is busy: {n} jobs are queued or running, the most it takes at once (T2M_MAX_QUEUED_JOBS). "
        "This one was not started; try again in {wait}.")
FIRST_GUESS = 60.0  # seconds a job is assumed to hold its slot before any has finished


@dataclass(eq=False)
class Ticket:
    queue: JobQueue
    owner: str
    n: int
    client: str = ""
    weight: int = 1  # render slots it holds once running: a lesson renders several scenes at once
    started: float = 0.0
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
    per_client: int = 6
    total: int = 32
    _waiting: list = field(default_factory=list)
    _running: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _count: itertools.count = field(default_factory=itertools.count)
    _mean_run: float = FIRST_GUESS  # seconds a job holds its slot, a moving average

    def enter(self, owner: str, client: str = "", weight: int = 1) -> Ticket | str:
        """A place in the queue, or the message saying why not (a bound is reached). `weight`: the render slots
        the job holds while it runs (at most all of them)."""
        with self._lock:
            places = self._waiting + self._running
            if sum(1 for t in places if t.owner == owner) >= max(1, self.per_owner):
                return TOO_MANY.format(n=max(1, self.per_owner))
            if client and sum(1 for t in places if t.client == client) >= max(1, self.per_client):
                return TOO_MANY_FROM_CLIENT.format(n=max(1, self.per_client))
            if len(places) >= max(1, self.total):
                return BUSY.format(n=len(places), wait=_in_words(self._eta(len(self._waiting))))
            t = Ticket(self, owner, next(self._count), client=client, weight=min(max(1, weight), max(1, self.slots)))
            self._waiting.append(t)
            return t

    def _eta(self, waiting: int) -> float:
        """Seconds until a job entering now would start: the jobs ahead, `slots` at a time."""
        return math.ceil((waiting + 1) / max(1, self.slots)) * self._mean_run

    def _ahead(self, t: Ticket) -> int:
        with self._lock:
            return self._waiting.index(t) if t in self._waiting else 0

    def _try_start(self, t: Ticket) -> bool:
        with self._lock:
            if t.running:
                return True
            if t.released or not self._waiting or self._waiting[0] is not t:
                return False
            if sum(r.weight for r in self._running) + t.weight > max(1, self.slots):
                return False
            self._waiting.pop(0)
            self._running.append(t)
            t.running, t.started = True, time.monotonic()
            return True

    def _release(self, t: Ticket) -> None:
        with self._lock:
            if t.running and not t.released:
                self._mean_run = 0.8 * self._mean_run + 0.2 * (time.monotonic() - t.started)
            t.released = True
            for group in (self._waiting, self._running):
                if t in group:
                    group.remove(t)

    def stats(self) -> tuple[int, int]:
        """(running, waiting) right now."""
        with self._lock:
            return len(self._running), len(self._waiting)


def _in_words(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(10, int(round(seconds / 10.0)) * 10)} seconds"
    return f"about {int(round(seconds / 60.0))} minutes"
