"""scripts/system-packages: what `make test` installs before the suite, or the one line it stops with."""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "system-packages"


def run_with_tools(tmp_path: Path, *tools: str, chromium: str) -> subprocess.CompletedProcess[str]:
    """Run the script with a PATH that holds only `id` and the named fake tools (each exits 0)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").symlink_to("/usr/bin/id")
    for tool in tools:
        fake = bin_dir / tool
        fake.write_text("#!/bin/sh\nexit 0\n")
        fake.chmod(0o755)
    env = {"PATH": str(bin_dir), "CHROMIUM_PATH": chromium, "HOME": str(tmp_path)}
    return subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False)


def test_nothing_happens_when_every_package_is_there(tmp_path):
    result = run_with_tools(tmp_path, "docker-compose", "curl", "openssl", "tesseract", chromium="/bin/true")

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_missing_package_that_cannot_be_installed_stops_with_one_line_naming_it(tmp_path):
    # given no apt-get on the PATH, no Chromium and no compose
    result = run_with_tools(tmp_path, chromium=str(tmp_path / "no-chromium"))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "chromium docker-compose curl openssl tesseract-ocr" in lines[0]
    assert "apt-get install -y --no-install-recommends chromium docker-compose curl openssl tesseract-ocr" in lines[0]


def test_make_test_and_ci_call_the_same_script():
    root = SCRIPT.parent.parent

    assert "scripts/system-packages" in (root / "Makefile").read_text()
    assert "\nscripts/system-packages\n" in (root / ".ci" / "run").read_text()
    assert "apt-get" not in (root / ".ci" / "run").read_text()
    assert os.access(SCRIPT, os.X_OK)
