"""A small HTTP/1.1 reverse proxy that spreads requests round-robin over the web hosts.

Each request goes to the next upstream in turn on a connection of its own, with
``X-Forwarded-For`` set to the client's address (overwritten, never appended: the portal trusts
exactly one proxy, ``TRUSTED_PROXY_COUNT=1``) and ``X-Forwarded-Proto: http``. The answer gets an
``X-Upstream`` header naming the host that served it. Request bodies need a Content-Length
(chunked uploads are answered 411); an upstream that cannot be reached is a 502.

    python proxy.py --listen 10.231.0.10:8080 --upstream web1=10.231.0.11:8000 \
        --upstream web2=10.231.0.12:8000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools

CHUNK = 64 * 1024
MAX_HEAD_BYTES = 64 * 1024
HEAD_END = b"\r\n\r\n"
# Per connection to the client or an upstream: one request, then close.
HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"proxy-connection",
    b"te",
    b"trailer",
    b"upgrade",
    b"x-forwarded-for",
    b"x-forwarded-proto",
}


class Upstreams:
    def __init__(self, named: list[tuple[str, tuple[str, int]]]):
        self.named = named
        self._turns = itertools.cycle(range(len(named)))

    def next(self) -> tuple[str, tuple[str, int]]:
        return self.named[next(self._turns)]


def parse_head(head: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    lines = head.split(b"\r\n")
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(b":")
        headers.append((name.strip(), value.strip()))
    return lines[0], headers


def header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def build_head(first_line: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    lines = [first_line, *(key + b": " + value for key, value in headers)]
    return b"\r\n".join(lines) + HEAD_END


async def simple_answer(writer: asyncio.StreamWriter, status: str) -> None:
    body = status.encode() + b"\n"
    writer.write(
        f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n".encode()
        + body
    )
    with contextlib.suppress(ConnectionError):
        await writer.drain()


async def copy_exactly(reader, writer, length: int) -> None:
    while length > 0:
        data = await reader.read(min(CHUNK, length))
        if not data:
            raise ConnectionError("client closed the connection in the middle of the body")
        writer.write(data)
        await writer.drain()
        length -= len(data)


async def copy_to_end(reader, writer) -> None:
    while data := await reader.read(CHUNK):
        writer.write(data)
        await writer.drain()


def handler(upstreams: Upstreams):
    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter):
        try:
            await forward_one(upstreams, client_reader, client_writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            with contextlib.suppress(Exception):
                client_writer.close()

    return handle


async def forward_one(upstreams: Upstreams, client_reader, client_writer) -> None:
    head = await client_reader.readuntil(HEAD_END)
    first_line, headers = parse_head(head[: -len(HEAD_END)])
    if header(headers, b"transfer-encoding"):
        await simple_answer(client_writer, "411 Length Required")
        return
    length = int(header(headers, b"content-length") or 0)
    client_address = client_writer.get_extra_info("peername")[0]
    name, target = upstreams.next()
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection(*target)
    except OSError:
        await simple_answer(client_writer, "502 Bad Gateway")
        return
    forwarded = [(key, value) for key, value in headers if key.lower() not in HOP_BY_HOP]
    forwarded += [
        (b"X-Forwarded-For", client_address.encode()),
        (b"X-Forwarded-Proto", b"http"),
        (b"Connection", b"close"),
    ]
    upstream_writer.write(build_head(first_line, forwarded))
    await copy_exactly(client_reader, upstream_writer, length)
    try:
        answer_head = await upstream_reader.readuntil(HEAD_END)
    except asyncio.IncompleteReadError:
        await simple_answer(client_writer, "502 Bad Gateway")
        return
    status_line, answer_headers = parse_head(answer_head[: -len(HEAD_END)])
    answer_headers = [(k, v) for k, v in answer_headers if k.lower() not in HOP_BY_HOP]
    answer_headers += [(b"X-Upstream", name.encode()), (b"Connection", b"close")]
    client_writer.write(build_head(status_line, answer_headers))
    await copy_to_end(upstream_reader, client_writer)
    with contextlib.suppress(Exception):
        upstream_writer.close()


def address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


async def serve(listen: tuple[str, int], upstreams: Upstreams) -> None:
    server = await asyncio.start_server(
        handler(upstreams), *listen, limit=MAX_HEAD_BYTES, reuse_address=True
    )
    names = ", ".join(f"{name}={a[0]}:{a[1]}" for name, a in upstreams.named)
    print(f"proxy on {listen[0]}:{listen[1]} -> {names}", flush=True)
    await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listen", required=True, help="ADDRESS:PORT")
    parser.add_argument("--upstream", action="append", required=True, help="NAME=ADDRESS:PORT")
    arguments = parser.parse_args()
    named = []
    for item in arguments.upstream:
        name, target = item.split("=", 1)
        named.append((name, address(target)))
    asyncio.run(serve(address(arguments.listen), Upstreams(named)))


if __name__ == "__main__":
    main()
