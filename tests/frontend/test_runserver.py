"""The demo's `runserver` sends each answer at once on a kept-alive connection (TCP_NODELAY)."""

import socket

from django.core.management import get_commands
from django.core.servers.basehttp import WSGIRequestHandler

from frontend.management.commands.runserver import ImmediateWSGIServer


def test_runserver_is_lede_s_own():
    assert get_commands()["runserver"] == "frontend"


def test_each_accepted_connection_sends_without_waiting_for_acknowledgements():
    server = ImmediateWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    try:
        with socket.create_connection(server.server_address[:2]):
            accepted, _ = server.get_request()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        server.server_close()
