"""A closed-loop HTTP/1.1 load generator on asyncio streams (standard library only).

Each of N clients keeps one keep-alive connection, sends a request, reads the whole answer,
and sends the next, walking its own slice of a shuffled URL list; a client reconnects when
the server closes the connection. Latency is from writing the request to having read the last
byte of the body, so it includes any wait in the server's queue. After a warm-up (not
recorded), clients start requests until the deadline, then finish the ones under way; every
finished request is recorded, and the elapsed time runs to the last one.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

TIMEOUT = 120.0  # seconds for one request before it counts as an error
GRACE = 5.0  # seconds requests under way at the deadline may take to finish


@dataclass
class Result:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    bytes: int = 0
    connections: int = 0
    unfinished: list[float] = field(default_factory=list)  # seconds waited when abandoned

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def percentile(self, share: float) -> tuple[float | None, bool]:
        """Return the latency at this share (nearest rank) in seconds, and whether it is only
        a lower bound (abandoned requests count with the time they had waited)."""
        ordered = sorted(self.latencies + self.unfinished)
        if not ordered:
            return None, False
        value = ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]
        return value, bool(self.unfinished) and value >= min(self.unfinished)


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, path: str) -> tuple[int, int, bool]:
        """Send one GET; return (status, body bytes, whether the server keeps the connection)."""
        assert self.reader is not None and self.writer is not None  # noqa: S101
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Accept: application/json\r\nConnection: keep-alive\r\n\r\n".encode("ascii")
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        size = 0
        if "content-length" in headers:
            size = int(headers["content-length"])
            await self.reader.readexactly(size)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                chunk = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(chunk + 2)
                size += chunk
                if chunk == 0:
                    break
        else:  # the body runs to the end of the connection
            size = len(await self.reader.read())
            return status, size, False
        keep = headers.get("connection", "").lower() != "close"
        return status, size, keep


class _Client:
    """One client: its connection, its place in the URL list, and its request in flight."""

    def __init__(self, host: str, port: int, paths: Sequence[str], start: int) -> None:
        self.connection = Connection(host, port)
        self.paths, self.index = paths, start
        self.began: float | None = None

    async def run(self, deadline: float, result: Result | None) -> None:
        while time.perf_counter() < deadline:
            path = self.paths[self.index % len(self.paths)]
            self.index += 1
            self.began = time.perf_counter()
            try:
                if self.connection.writer is None:
                    await self.connection.open()
                    if result is not None:
                        result.connections += 1
                status, size, keep = await asyncio.wait_for(self.connection.get(path), TIMEOUT)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                self.connection.close()
                self.began = None
                if result is not None:
                    result.errors[type(exc).__name__] += 1
                await asyncio.sleep(0.05)
                continue
            if result is not None:
                result.latencies.append(time.perf_counter() - self.began)
                result.statuses[status] += 1
                result.bytes += size
            self.began = None
            if not keep:
                self.connection.close()
        self.connection.close()


async def _run(
    host: str,
    port: int,
    paths: Sequence[str],
    clients: int,
    seconds: float,
    warmup: float,
    warm_clients: int,
) -> Result:
    step = max(1, len(paths) // clients)
    if warmup > 0:  # fewer clients, and every request finishes, so none is left queued
        until = time.perf_counter() + warmup
        warm = [_Client(host, port, paths, i * step + 7) for i in range(warm_clients)]
        await asyncio.gather(*(c.run(until, None) for c in warm))
    result = Result()
    started = time.perf_counter()
    deadline = started + seconds
    crowd = [_Client(host, port, paths, i * step) for i in range(clients)]
    tasks = [asyncio.ensure_future(c.run(deadline, result)) for c in crowd]
    # Requests under way at the deadline get GRACE seconds to finish; the rest are abandoned
    # and reported as unfinished, with the time they had waited (a lower bound).
    await asyncio.wait(tasks, timeout=seconds + GRACE)
    ended = time.perf_counter()
    for client, task in zip(crowd, tasks, strict=True):
        if not task.done():
            task.cancel()
            if client.began is not None:
                result.unfinished.append(ended - client.began)
            client.connection.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    result.seconds = ended - started
    return result


def drive(
    host: str,
    port: int,
    paths: Sequence[str],
    clients: int,
    seconds: float,
    warmup: float,
    warm_clients: int,
) -> Result:
    """Drive the server with `clients` keep-alive clients for `seconds`, after a warm-up."""
    return asyncio.run(_run(host, port, paths, clients, seconds, warmup, warm_clients))
