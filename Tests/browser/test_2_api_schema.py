"""schemathesis against the running server with its own /api/v1/openapi.yaml:
no server error, no response that breaks the document (status codes, content
types, bodies). Runs as a staff bearer token (every region)."""
import os
import subprocess
import sys

from conftest import ROOT


def test_openapi_document_holds_against_the_running_server(server):
    exe = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    r = subprocess.run([exe, "run", server.url + "/api/v1/openapi.yaml", "--url", server.url,
                        "-H", f"Authorization: Bearer {server.token}",
                        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                        "--max-examples", os.environ.get("JOBMATCH_FUZZ_EXAMPLES", "25"),
                        "--suppress-health-check", "all", "--no-color"],
                       capture_output=True, text=True, timeout=900, cwd=ROOT)
    out = r.stdout + r.stderr
    print(out[-6000:])
    assert r.returncode == 0, out[-6000:]
    assert "passed" in out.lower()
