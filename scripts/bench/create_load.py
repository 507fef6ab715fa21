#!/usr/bin/env python3
"""Create-latency load for scripts/bench-scale.sh: CLIENTS concurrent keep-alive connections, spread over the given
API nodes, each alternating POST music/create and DELETE scheduler/<id> of the job it created (so the accounts'
slots never fill and no song is ever rendered). Prints create latency percentiles and throughput.

usage: create_load.py TOKEN SECONDS CLIENTS BASE_URL [BASE_URL ...]
"""
import asyncio
import json
import sys
import time
from urllib.parse import urlparse


async def request(reader, writer, method, host, path, token, body=None):
    payload = json.dumps(body).encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
    if body is not None:
        head += "Content-Type: application/json\r\n"
    head += f"Content-Length: {len(payload)}\r\n\r\n"
    writer.write(head.encode() + payload)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    data = b""
    if chunked:
        while True:
            size = int((await reader.readline()).strip(), 16)
            if size == 0:
                await reader.readline()
                break
            data += await reader.readexactly(size)
            await reader.readline()
    elif length:
        data = await reader.readexactly(length)
    return status, data


async def client(base, token, deadline, latencies, counts):
    url = urlparse(base)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    host = f"{url.hostname}:{url.port}"
    song = {"prompt": "A 30 second lo-fi piano loop", "instrumental": True}
    while time.monotonic() < deadline:
        started = time.monotonic()
        status, data = await request(reader, writer, "POST", host, "/v2/pixverse/music/create", token, song)
        elapsed = time.monotonic() - started
        counts[status] = counts.get(status, 0) + 1
        if status == 200:
            latencies.append(elapsed)
            audio_id = json.loads(data)["audio_id"]
            await request(reader, writer, "DELETE", host, f"/v2/pixverse/scheduler/{audio_id}", token)
        else:
            await asyncio.sleep(0.01)
    writer.close()


async def main():
    token, seconds, clients, bases = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    latencies, counts = [], {}
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(client(bases[i % len(bases)], token, deadline, latencies, counts) for i in range(clients)))
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    print(f"  {len(latencies)} creates in {elapsed:.1f} s = {len(latencies) / elapsed:.0f}/s (+ as many DELETEs); "
          f"create p50 {pct(0.50):.1f} ms, p99 {pct(0.99):.1f} ms, max {pct(1.0):.1f} ms; statuses {counts}")


asyncio.run(main())
