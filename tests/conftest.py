"""Fixtures: a small real store built from tests/fixtures/mini, and the bundled graph."""

from pathlib import Path

import pytest

from graph import open_graph

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(scope="session")
def mini():
    """The small test graph, in memory."""
    return open_graph(data_dir=MINI)


@pytest.fixture(scope="session")
def bundled():
    """The bundled data, in memory."""
    return open_graph()


@pytest.fixture
def mini_copy(tmp_path):
    """A writable copy of the mini data folder."""
    import shutil

    dst = tmp_path / "data"
    shutil.copytree(MINI, dst)
    return dst
