import socket

import pytest
from pytest_socket import SocketConnectBlockedError


def test_the_suite_cannot_reach_the_internet():
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("203.0.113.7", 443), timeout=1)


def test_loopback_is_allowed():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        socket.create_connection(server.getsockname(), timeout=1).close()
