#!/usr/bin/env python3
"""slow-clients.py PORT COUNT SOURCE STATUS: open COUNT connections to 127.0.0.1:PORT from
the address SOURCE and send each one's request headers a line every half second, never
finishing them (slowloris). STATUS is rewritten every round with "connected N open M":
N connections made, M of them not (yet) closed by the server. Ends on SIGTERM, or after
five minutes so that it is never left behind."""

import os
import select
import signal
import socket
import sys
import time


def write_status(path, connected, still_open):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"connected {connected} open {still_open}\n")
    os.replace(tmp, path)


def closed_by_server(sock):
    """True when the server has closed or reset the connection."""
    poller = select.poll()
    poller.register(sock, select.POLLIN | select.POLLHUP | select.POLLERR)
    if not poller.poll(0):
        return False
    try:
        return sock.recv(4096) == b""
    except OSError:
        return True


def main():
    port, count, source, status = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
        s.setblocking(False)
        try:
            s.send(b"GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        except OSError:
            pass  # refused at once: seen as closed below
        socks.append(s)
    end = time.monotonic() + 300
    line = 0
    while time.monotonic() < end:
        alive = []
        for s in socks:
            if closed_by_server(s):
                s.close()
                continue
            try:
                s.send(b"X-Slow-%d: x\r\n" % line)
                alive.append(s)
            except OSError:
                s.close()
        socks = alive
        line += 1
        write_status(status, count, len(socks))
        time.sleep(0.5)


if __name__ == "__main__":
    main()
