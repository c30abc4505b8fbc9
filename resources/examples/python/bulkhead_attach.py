"""Report asyncio bounds to a Bulkhead panel (the attach protocol, docs/attach-protocol.md).

Standard library plus `websockets` (Debian: python3-websockets). Set BULKHEAD_ATTACH to the line
`bulkhead serve` prints (or Settings shows); without it, nothing connects and nothing changes.

The reporter never slows the program it watches: snapshots are taken on its own task every interval,
kept in a bounded queue (the oldest is dropped and counted when the panel is slow or gone), and a lost
connection is retried with exponential back-off. Your code only ever touches ReportedSemaphore.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import secrets
import socket
import sys
import time
from typing import Deque, Dict, List, Optional

PROTOCOL = 1


class ReportedSemaphore:
    """An asyncio.Semaphore-backed bound that the panel can see: permits, in use, waiting, acquired."""

    def __init__(self, name: str, permits: int) -> None:
        if permits < 1:
            raise ValueError(f"ReportedSemaphore {name!r}: permits must be at least 1 (got {permits})")
        self.name = name
        self.permits = permits
        self._semaphore = asyncio.Semaphore(permits)
        self.in_use = 0
        self.waiting = 0
        self.max_waiting_seen = 0
        self.acquired = 0
        _registry.append(self)

    async def __aenter__(self) -> "ReportedSemaphore":
        self.waiting += 1
        self.max_waiting_seen = max(self.max_waiting_seen, self.waiting)
        try:
            await self._semaphore.acquire()
        finally:
            self.waiting -= 1
        self.in_use += 1
        self.acquired += 1
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.in_use -= 1
        self._semaphore.release()

    def snapshot(self) -> Dict[str, object]:
        return {
            "name": self.name,
            "permits": self.permits,
            "inUse": self.in_use,
            "available": self.permits - self.in_use,
            "waiting": self.waiting,
            "maxWaitingSeen": self.max_waiting_seen,
            "acquired": self.acquired,
        }


_registry: List[ReportedSemaphore] = []


def process_name() -> str:
    given = os.environ.get("BULKHEAD_PROCESS_NAME", "").strip()
    if given:
        return given[:200]
    line = " ".join([os.path.basename(sys.executable)] + [os.path.basename(sys.argv[0])] + sys.argv[1:])
    return line if len(line) <= 80 else line[:79] + "…"


class AttachReporter:
    """Sends hello, then one report per interval, to the panel at `url`; reconnects with back-off."""

    def __init__(self, url: str, interval: float = 0.5, max_buffered: int = 16) -> None:
        if not url.startswith(("ws://", "wss://")) or "token=" not in url:
            raise ValueError("BULKHEAD_ATTACH must be the ws://…?token=… URL that `bulkhead serve` prints")
        self.url = url
        self.interval = interval
        self.buffer: Deque[Dict[str, object]] = collections.deque()
        self.max_buffered = max_buffered
        self.dropped = 0
        self.sent = 0
        self.seq = 0
        self.connected = False
        self.hello = {
            "type": "hello",
            "protocol": PROTOCOL,
            "instanceId": secrets.token_urlsafe(12),
            "name": process_name(),
            "pid": os.getpid(),
            "host": socket.gethostname()[:200] or "unknown",
            "startedAt": int(time.time() * 1000),
            "language": "python",
            "library": "bulkhead_attach.py",
        }
        self._tasks: List[asyncio.Task] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._collect()), asyncio.create_task(self._send())]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _collect(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            report = {
                "type": "report",
                "seq": self.seq,
                "t": int(time.time() * 1000),
                "semaphores": [s.snapshot() for s in _registry[:200]],
            }
            self.seq += 1
            self.buffer.append(report)
            while len(self.buffer) > self.max_buffered:
                self.buffer.popleft()
                self.dropped += 1

    async def _send(self) -> None:
        import websockets  # imported here so the module loads (and reports the problem) without it

        failures = 0
        while True:
            try:
                async with websockets.connect(self.url, open_timeout=5, max_size=64 * 1024) as ws:
                    failures = 0
                    self.connected = True
                    await ws.send(json.dumps(self.hello))
                    while True:
                        while self.buffer:
                            report = self.buffer.popleft()
                            report["dropped"] = self.dropped
                            await ws.send(json.dumps(report))
                            self.sent += 1
                        await asyncio.sleep(self.interval / 2)
            except asyncio.CancelledError:
                raise
            except Exception:  # refused, reset, closed by the panel: back off and try again
                failures += 1
            finally:
                self.connected = False
            wait = min(10.0, 0.25 * 2 ** max(0, failures - 1)) * (0.8 + 0.4 * random.random())
            await asyncio.sleep(wait)


def attach_from_env() -> Optional[AttachReporter]:
    """Starts a reporter when BULKHEAD_ATTACH is set (call inside the running event loop)."""
    url = os.environ.get("BULKHEAD_ATTACH")
    if not url:
        return None
    reporter = AttachReporter(url)
    reporter.start()
    return reporter
