"""TypeScript clients: types generated from the committed OpenAPI schema compile with tsc.

openapi-typescript turns schema/openapi-v1.yaml into tests/clients/typescript/generated/api.d.ts,
and tsc (strict) checks usage.ts, a small consumer whose ``@ts-expect-error`` lines fail the
check if the types come out as ``any`` or a field changes type. Node.js and npm are required;
the pinned tools are installed with ``npm ci`` from package-lock.json on the first run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
CLIENT_DIR = Path(__file__).resolve().parent / "typescript"
SCHEMA = REPO / "schema" / "openapi-v1.yaml"
GENERATED = CLIENT_DIR / "generated" / "api.d.ts"
BIN = CLIENT_DIR / "node_modules" / ".bin"

pytestmark = pytest.mark.slow


def run(args: list[str | Path], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a command in the TypeScript client directory, capturing its output."""
    return subprocess.run(
        [str(arg) for arg in args],
        cwd=CLIENT_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit code {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


@pytest.fixture(scope="module")
def node_tools() -> Path:
    """node_modules/.bin with openapi-typescript and tsc, installed by `npm ci` if missing."""
    if not (BIN / "tsc").exists() or not (BIN / "openapi-typescript").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(
                "npm is not on PATH: Node.js (with npm) is required to check the TypeScript "
                "client types (see README.md)",
                pytrace=False,
            )
        result = run([npm, "ci", "--no-audit", "--no-fund"], timeout=300)
        assert result.returncode == 0, f"npm ci failed in {CLIENT_DIR}\n{output(result)}"
    return BIN


def test_generated_types_compile(node_tools: Path) -> None:
    GENERATED.unlink(missing_ok=True)
    result = run([node_tools / "openapi-typescript", SCHEMA, "-o", GENERATED], timeout=120)
    assert result.returncode == 0, f"openapi-typescript failed\n{output(result)}"
    assert '"/api/v1/observations/"' in GENERATED.read_text(encoding="utf-8")

    result = run([node_tools / "tsc", "-p", "tsconfig.json"], timeout=120)
    assert result.returncode == 0, f"tsc found type errors\n{output(result)}"
