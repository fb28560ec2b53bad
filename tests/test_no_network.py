"""Parsing never touches the network: every parse path runs with sockets forbidden."""

import socket
from pathlib import Path

import pytest

from graph.build import build, parse_file

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def no_network(monkeypatch):
    """Make any attempt to open a connection or resolve a name fail the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[:2]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_build_of_the_bundled_data_is_offline(no_network):
    _, info = build(None)
    assert info.report.conforms


def test_remote_looking_iris_are_not_fetched(no_network, tmp_path):
    f = tmp_path / "remote.trig"
    f.write_text('@prefix ex: <http://example.org/> .\n@base <http://127.0.0.2:9/> .\n'
                 'ex:g { <x> ex:p <http://203.0.113.1/owl:imports> . }\n', encoding="utf-8")
    assert len(parse_file(f)) == 1


def test_every_fixture_parses_offline(no_network):
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in (".trig", ".nq"):
            parse_file(path)


def test_the_guard_itself_catches_a_fetch(no_network):
    import urllib.request

    with pytest.raises(AssertionError, match="network access attempted"):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
