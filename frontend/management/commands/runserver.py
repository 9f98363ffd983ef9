"""`manage.py runserver` (the demo's server) that answers on a kept-alive connection without a 40 ms stall.

Django's development server writes a response's headers and its body in two sends. With Nagle's
algorithm on, the body waits for the client to acknowledge the headers, and a client that delays
its acknowledgements (Linux, browsers on a kept-alive connection) makes every JSON answer wait
about 40 ms. TCP_NODELAY on each accepted connection sends the body at once, as gunicorn does.
This app comes before `django.contrib.staticfiles` in INSTALLED_APPS, so this command replaces
that app's runserver, which it extends (static files are still served).
"""

import socket

from django.contrib.staticfiles.management.commands.runserver import Command as StaticFilesRunserver
from django.core.servers.basehttp import WSGIServer


class ImmediateWSGIServer(WSGIServer):
    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class Command(StaticFilesRunserver):
    server_cls = ImmediateWSGIServer
