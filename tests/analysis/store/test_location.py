"""Where the store lives: one setting, a default in the user's data folder made on first use."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.store import ENV_URL, StoreError, open_store
from analysis.store.location import files_dir_for, parse_url, resolve_url, safe_url


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(ENV_URL, raising=False)
    return tmp_path / "xdg" / "jumprope-form"


def test_nothing_set_means_sqlite_in_the_user_data_folder_created_on_first_use(data_home, report_json):
    assert resolve_url() == f"sqlite:///{data_home / 'history.sqlite3'}"
    assert not data_home.exists()
    with open_store() as store:
        sid = store.save_session(report_json)
        assert store.files.root == data_home / "history-files"
    assert (data_home / "history.sqlite3").is_file()
    with open_store("default") as store:  # the batch command's bare --store
        assert [s.id for s in store.list_sessions("me")] == [sid]


@pytest.mark.parametrize("arg, env, expected", [
    ("sqlite:////a/arg.sqlite3", "sqlite:////b/env.sqlite3", "sqlite:////a/arg.sqlite3"),
    (None, "sqlite:////b/env.sqlite3", "sqlite:////b/env.sqlite3"),
    ("", "  sqlite:////b/env.sqlite3 ", "sqlite:////b/env.sqlite3"),
    ("default", "sqlite:////b/env.sqlite3", "DEFAULT"),
])
def test_the_argument_wins_then_the_environment(data_home, monkeypatch, arg, env, expected):
    monkeypatch.setenv(ENV_URL, env)
    want = f"sqlite:///{data_home / 'history.sqlite3'}" if expected == "DEFAULT" else expected
    assert resolve_url(arg) == want


def test_urls_are_checked_and_passwords_never_shown():
    with pytest.raises(StoreError, match="expected an SQLAlchemy URL"):
        parse_url("not a url at all")
    assert parse_url("postgresql://u:pw@host/db").drivername == "postgresql+psycopg"
    assert "pw" not in safe_url("postgresql+psycopg://u:pw@host:5432/db")
    with pytest.raises(StoreError) as err:
        open_store("postgresql+psycopg://u:secret-pw@127.0.0.1:1/nothing")
    assert "secret-pw" not in str(err.value) and "could not open the store" in str(err.value)


def test_kept_files_go_beside_a_sqlite_file_or_into_the_data_folder_for_a_server(data_home):
    assert files_dir_for(parse_url("sqlite:////srv/club/history.sqlite3")) == Path("/srv/club/history-files")
    assert files_dir_for(parse_url("sqlite://")) is None
    assert files_dir_for(parse_url("postgresql://u@db.club.org:5433/rope")) == data_home / "files-db.club.org-5433-rope"


def test_an_in_memory_store_works_but_keeps_no_clips(report_json):
    with open_store("sqlite://") as store:
        sid = store.save_session(report_json, jumper="Mem")
        assert store.session_info(sid).jump_count == 20
        with pytest.raises(ValueError, match="in-memory store has none"):
            store.save_session(report_json, clip=b"x", keep_clip=True)
