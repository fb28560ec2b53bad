"""The ingestion commands as a user runs them: import, ingest-article, import-openalex, imports, remove-import."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_ingest import ING, TEMPLATES, Env, broken_trig

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "graph", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


@pytest.fixture
def env(tmp_path):
    return Env(tmp_path)


def test_import_list_and_remove(env):
    before = env.dump()
    out = run("--store", env.store, "import", ING / "actors.csv", "--mapping", TEMPLATES / "actors.toml",
              "--data", env.data)
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0]
    assert first.startswith("imported actors.csv as actors-") and first.endswith(
        ": 19 new statements (src:theta-press-theta-opens)")
    import_id = first.split(" as ")[1].split(":")[0]
    assert f"take it back with: convergence remove-import {import_id}" in out.stdout
    assert "... checking the SHACL shapes" in out.stderr
    listed = run("--store", env.store, "imports")
    assert listed.stdout.splitlines()[0].startswith(f"{import_id}  ")
    assert listed.stdout.splitlines()[0].endswith("csv  actors.csv with mapping actors.toml  +19 statements")
    gone = run("--store", env.store, "remove-import", import_id, "--data", env.data)
    assert gone.returncode == 0 and gone.stdout == f"removed {import_id} (actors.csv): 19 statements taken back\n"
    assert env.dump() == before


def test_ingest_article_and_openalex(env):
    out = run("--store", env.store, "ingest-article", ING / "article.txt", "--url", "https://example.org/a",
              "--title", "Alpha at the plenary", "--publisher", "Example News", "--date", "2025-05-01",
              "--data", env.data)
    assert out.returncode == 0, out.stderr
    assert "mentions 6 entities: domain:ai, event:meeting, orgn:alpha, orgn:beta, place:cph, tech:q-sensing" in out.stdout
    out = run("--store", env.store, "import-openalex", ING / "works.json", "--data", env.data)
    assert out.returncode == 0, out.stderr
    assert "records: 3, skipped: 1, worksOn: 2, suggestions: 1, institutions: 3" in out.stdout


def test_errors_are_one_line_with_exit_1(env, tmp_path):
    before = env.dump()
    for args, message in [
        (("import", broken_trig(tmp_path)), "error: broken.trig:7:1: syntax error"),
        (("import", ING / "actors.csv"), "error: actors.csv: a spreadsheet needs --mapping M.toml"),
        (("ingest-article", ING / "article.txt"), "error: ingest-article: give the article's --url and --publisher"),
        (("remove-import", "nope"), "error: remove-import: no import 'nope' in this store"),
    ]:
        out = run("--store", env.store, *args, "--data", env.data)
        assert out.returncode == 1, out
        last = out.stderr.strip().splitlines()[-1]
        assert last.startswith(message), last
        assert "Traceback" not in out.stderr
    assert env.dump() == before


def test_import_without_a_store_says_how(tmp_path):
    out = run("import", ING / "company.trig", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr.strip() == ("error: --store: give the disk store to import into with --store DIR (or "
                                  "CONVERGENCE_STORE); `convergence build --store DIR` makes one")
