"""A small asyncio "agent": a fan-out of fake LLM calls bounded by a ReportedSemaphore.

    BULKHEAD_ATTACH=ws://127.0.0.1:…/attach?token=… python3 agent.py [--seconds N]

With BULKHEAD_ATTACH set it appears on the panel's Semaphores page (as BULKHEAD_PROCESS_NAME, or its
command line) while it runs, and shows disconnected after it stops. It stops after --seconds, on
Ctrl+C / SIGTERM, or when its standard input closes.
"""

import argparse
import asyncio
import random
import signal
import sys

from bulkhead_attach import ReportedSemaphore, attach_from_env


async def fake_llm_call(bound: ReportedSemaphore) -> None:
    async with bound:
        await asyncio.sleep(random.uniform(0.05, 0.2))


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=0, help="stop after this long (default: run until stopped)")
    parser.add_argument("--semaphore", default="python-llm-calls", help="the semaphore's name on the panel")
    args = parser.parse_args()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.buffer.read1(1) else None)
    if args.seconds > 0:
        loop.call_later(args.seconds, stop.set)

    bound = ReportedSemaphore(args.semaphore, permits=3)
    reporter = attach_from_env()
    print("ready", flush=True)
    while not stop.is_set():
        # 8 calls at a time, 3 allowed in: the panel shows 3 in use and callers waiting.
        await asyncio.gather(*(fake_llm_call(bound) for _ in range(8)))
    if reporter:
        await reporter.stop()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
