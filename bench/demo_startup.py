"""Time `galerie demo` from an empty var/ to the first storefront page answered, then a second
start (idempotent load) — the promise is "answers within a minute of dependencies installed".

    uv run python bench/demo_startup.py

Uses a throw-away GALERIE_VAR_DIR under bench/out/, never the demo's own var/.
"""

import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "out" / "var-demo-startup"
PORT = 8911


def first_page_seconds(env: dict) -> tuple[float, float]:
    """Seconds to the first 200 from the galerie storefront, and the demo's own « Base prête »
    time (migrate + loaddemo, without interpreter start-up and gunicorn boot)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "galerie.cli", "demo", "--port", str(PORT)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/", headers={"Host": f"galerie.localhost:{PORT}"}
    )
    elapsed = None
    try:
        while elapsed is None:
            if process.poll() is not None:
                raise SystemExit(process.stdout.read())
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        elapsed = time.perf_counter() - started
            except OSError:
                time.sleep(0.2)
            if time.perf_counter() - started > 180:
                raise SystemExit("no answer after 180 s")
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    print("\n".join(line for line in output.splitlines() if "[INFO]" not in line))
    ready = re.search(r"Base prête en ([\d.]+) s", output)
    return elapsed, float(ready.group(1)) if ready else 0.0


def main() -> None:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["GALERIE_VAR_DIR"] = str(VAR)
    first, first_ready = first_page_seconds(env)
    second, second_ready = first_page_seconds(env)
    result = {
        "date_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        "bytecode_cache": "off" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on",
        "first_start_seconds": round(first, 1),
        "second_start_seconds": round(second, 1),
        "first_migrate_and_load_seconds": first_ready,
        "second_migrate_and_load_seconds": second_ready,
    }
    print(json.dumps(result, indent=2))
    (ROOT / "bench" / "out" / "demo-startup.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
