"""page_fetch: public addresses only (checked, then connected to), redirects checked hop by hop,
the body capped in bytes and the whole fetch in seconds."""

import ipaddress
import socket
import threading
import time

import pytest

from integrations.http import BlockedAddress, PageFetchError, page_fetch, public_address
from tests.fakes.site import LOOPBACK, FakeSite


@pytest.fixture
def site():
    with FakeSite() as fake:
        yield fake


def fetch(url, **kwargs):
    options = {"role": "test", "timeout": 5.0, "max_bytes": 100_000, "allowed_networks": [LOOPBACK], **kwargs}
    return page_fetch(url, **options)


NOT_PUBLIC = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "::1", "0.0.0.0"]  # noqa: S104


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_addresses_that_are_not_public_are_refused(address):
    with pytest.raises(BlockedAddress, match="not a public address"):
        public_address(address, 80)


def test_a_public_address_passes_and_an_allowed_network_opens_a_private_one():
    assert public_address("93.184.215.14", 443) == "93.184.215.14"
    assert public_address("10.1.2.3", 80, (ipaddress.ip_network("10.0.0.0/8"),)) == "10.1.2.3"


def test_without_the_allowance_the_loopback_site_is_never_contacted(site):
    url = site.page("/post", "<p>hi</p>")

    with pytest.raises(BlockedAddress):
        fetch(url, allowed_networks=[])

    assert site.requests == []


def test_a_host_name_is_resolved_and_checked_too(site):
    url = site.page("/post", "<p>hi</p>").replace("127.0.0.1", "localhost")

    with pytest.raises(BlockedAddress, match="localhost resolves to"):
        fetch(url, allowed_networks=[])


def test_a_page_is_read_with_its_type_and_charset(site):
    url = site.page("/post", "<p>caf\u00e9</p>", content_type="text/html; charset=iso-8859-1")
    site.pages["/post"].body = "<p>caf\u00e9</p>".encode("latin-1")

    page = fetch(url)

    assert (page.status, page.content_type, page.charset, page.truncated) == (200, "text/html", "iso-8859-1", False)
    assert page.body.decode(page.charset) == "<p>caf\u00e9</p>"
    assert site.requests[0].headers["user-agent"].endswith("(test)")


def test_redirects_are_followed_and_each_hop_is_checked(site):
    final = site.page("/final", "<p>here</p>")
    site.redirect("/old", "/middle")
    site.redirect("/middle", final)
    inward = site.redirect("/sneaky", "http://169.254.169.254/latest/meta-data/")

    page = fetch(site.url + "/old")
    with pytest.raises(BlockedAddress):
        fetch(inward)

    assert page.url == final


def test_a_redirect_loop_stops(site):
    site.redirect("/a", "/b")
    site.redirect("/b", "/a")

    with pytest.raises(PageFetchError, match="redirects"):
        fetch(site.url + "/a")


@pytest.mark.parametrize(("status", "retryable"), [(404, False), (410, False), (403, False), (503, True)])
def test_an_error_status_is_an_error_that_says_whether_to_retry(site, status, retryable):
    url = site.page("/post", "<p>no</p>", status=status)

    with pytest.raises(PageFetchError) as raised:
        fetch(url)

    assert (raised.value.status, raised.value.retryable) == (status, retryable)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "http:///x"])
def test_only_http_addresses_are_fetched(url):
    with pytest.raises(PageFetchError, match="not an http"):
        fetch(url)


def test_a_page_over_the_cap_is_cut_at_the_cap(site):
    url = site.page("/big", "<p>" + "x" * 500_000 + "</p>")

    page = fetch(url, max_bytes=64_000)

    assert page.truncated and len(page.body) == 64_000


def test_a_server_that_drips_is_cut_off_at_the_deadline():
    # given a server that sends its headers, then one byte every 0.2 s for ever
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def drip():
        conn, _ = server.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b"x")
            except OSError:
                break
            time.sleep(0.2)
        conn.close()

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    # when
    try:
        with pytest.raises(PageFetchError, match="too long") as raised:
            fetch(f"http://127.0.0.1:{server.getsockname()[1]}/", timeout=1.5)
    finally:
        stop.set()
        server.close()
    # then it gave up at the deadline, not at the end of the body, and may try again later
    assert time.monotonic() - started < 4
    assert raised.value.retryable
