"""An open-loop load generator: POSTs pre-signed webhooks at a fixed arrival rate, whatever the answers take.

`python -m benchmarks._openloop PORT RATE SECONDS REQUESTS_FILE` prints one line:
`OPENLOOP sent ok errors p50_ms p99_ms max_ms late`, where `late` counts answers that took
longer than Twilio's 15 s (Twilio would have given up on them). Each request's latency is measured from the
moment it was due, not when it was sent, so a stalled server cannot hide its queue
(no coordinated omission). One new connection per request, as Twilio makes.
"""

from __future__ import annotations

import asyncio
import sys
import time


async def _one(port: int, payload: bytes, due: float, results: list) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(payload)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=30)
        await reader.read()  # Connection: close
        writer.close()
        status = int(status_line.split()[1])
    except Exception:
        status = 0
    results.append((status, time.perf_counter() - due))


async def run(port: int, rate: float, seconds: float, path: str) -> tuple:
    """Send `rate` requests a second for `seconds`; return (sent, ok, errors, latencies)."""
    payloads = []
    with open(path) as handle:
        for line in handle:
            signature, body = line.rstrip("\n").split("\t", 1)
            data = body.encode()
            payloads.append(
                (
                    "POST /sms/inbound HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    f"X-Twilio-Signature: {signature}\r\nContent-Length: {len(data)}\r\n\r\n"
                ).encode()
                + data
            )
    total = min(len(payloads), int(rate * seconds))
    results: list = []
    tasks = []
    start = time.perf_counter() + 0.2
    for number in range(total):
        due = start + number / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_one(port, payloads[number], due, results)))
    await asyncio.gather(*tasks)
    latencies = sorted(latency for status, latency in results if status == 200)
    ok = len(latencies)
    return total, ok, total - ok, latencies


def _pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


if __name__ == "__main__":
    port, rate, seconds, path = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    sent, ok, errors, latencies = asyncio.run(run(port, rate, seconds, path))
    print(
        f"OPENLOOP {sent} {ok} {errors} {_pct(latencies, 50) * 1000:.1f} {_pct(latencies, 99) * 1000:.1f} "
        f"{(latencies[-1] if latencies else float('nan')) * 1000:.1f} {sum(1 for x in latencies if x > 15)}"
    )
