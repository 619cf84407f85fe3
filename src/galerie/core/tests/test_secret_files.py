"""A secret generated into var/ is the same for every process that starts at once."""

import stat
import threading

from galerie.core.secret_files import secret_file_read_or_create


def test_processes_starting_together_all_get_the_one_secret(tmp_path):
    path = tmp_path / "payment_webhook_secret"
    start = threading.Barrier(8)
    seen: list[str] = []

    def worker():
        start.wait()
        seen.append(secret_file_read_or_create(path))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(seen) == 8 and len(set(seen)) == 1 and len(seen[0]) >= 40
    assert path.read_text() == seen[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_an_existing_secret_is_kept(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("kept\n")
    assert secret_file_read_or_create(path) == "kept"
