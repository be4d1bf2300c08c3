"""A TCP forwarder: makes services bound to 127.0.0.1 reachable on another address.

PostgreSQL and Redis listen on the loopback address of the root namespace only, which the hosts'
namespaces cannot reach; this forwards ``--listen ADDRESS:PORT`` to ``--to ADDRESS:PORT`` for
each pair given, byte for byte, without touching either service's configuration.

    python forward.py --pair 10.231.0.1:5432=127.0.0.1:5432 --pair 10.231.0.1:6379=127.0.0.1:6379
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

CHUNK = 64 * 1024


def address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


def handler(target: tuple[str, int]):
    async def handle(client_reader, client_writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer)
        )

    return handle


async def serve(pairs: list[tuple[tuple[str, int], tuple[str, int]]]) -> None:
    servers = [
        await asyncio.start_server(handler(target), *listen, reuse_address=True)
        for listen, target in pairs
    ]
    print("forwarding", ", ".join(f"{a[0]}:{a[1]} -> {b[0]}:{b[1]}" for a, b in pairs), flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pair", action="append", required=True, help="LISTEN=TARGET")
    arguments = parser.parse_args()
    pairs = []
    for pair in arguments.pair:
        listen, target = pair.split("=", 1)
        pairs.append((address(listen), address(target)))
    asyncio.run(serve(pairs))


if __name__ == "__main__":
    main()
