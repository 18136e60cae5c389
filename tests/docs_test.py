#!/usr/bin/env python3
"""Runs the docs' shell commands as written, against a real huanxind this test starts.

  docs_test.py REPO_ROOT BIN_DIR [-v]

What a reader does: `tools/run.sh --background` (huanxind --insecure on 127.0.0.1:50051, data
in ./var, the Binzhou demo loaded), then pastes the ```sh blocks of README.md, then those of
docs/walkthrough.md, docs/operations.md and the other docs, each file's blocks in order in
one shell (so aliases and variables carry from block to block, as in a terminal).

This test does the same in a temporary directory that stands in for the repository root
(build/bin, deploy/ and tools/ are links to the real ones; var/ is fresh), with two
differences a reader never sees:
- huanxind listens on a free port, not 50051: every port a block names after `127.0.0.1:`
  or `localhost:` is rewritten to a free one (50051 to the test server's), and build/bin/huanxinctl is a wrapper adding `--addr` with the
  test server's address when the command line gives none (huanxinctl's own default is
  127.0.0.1:50051).
- The server is started the way tools/run.sh starts it, without run.sh's package check and
  build.

A block that cannot run here (it builds, installs, needs root, systemd, docker or kubectl, or
runs for minutes) carries the marker line `<!-- docs-test: skip (why) -->` right above its
fence. Every ```sh or ```bash block without the marker runs; a command that fails (non-zero
exit, `set -euo pipefail`) fails the test with the file, the block's line and the output.
Plain ``` / ```text / ```console blocks are output or prose and are never run.

Exit 0 when every block ran; 1 otherwise.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

DOCS = ["README.md", "docs/walkthrough.md", "docs/operations.md", "docs/api.md",
        "docs/design.md", "docs/policy.md", "docs/performance.md"]
SKIP_MARKER = re.compile(r"^<!--\s*docs-test:\s*skip\b.*-->\s*$")
FENCE = re.compile(r"^```\s*([A-Za-z0-9_-]*)\s*$")
DOC_PORT = re.compile(r"(?<=127\.0\.0\.1:)\d+|(?<=localhost:)\d+")
RUNNABLE = ("sh", "bash")
FILE_TIMEOUT_S = 60


def blocks(path):
    """Yields (first line number, language, skipped, text) for every fenced block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, lang = i + 1, m.group(1)
        skipped = i > 0 and SKIP_MARKER.match(lines[i - 1]) is not None
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        yield start, lang, skipped, "\n".join(lines[i + 1:j])
        i = j + 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_root(repo, bin_dir, tmp):
    """The stand-in repository root: links to the build and the sources, a fresh var/."""
    root = os.path.join(tmp, "repo")
    os.makedirs(os.path.join(root, "build", "bin"))
    for name in os.listdir(bin_dir):
        if name != "huanxinctl":
            os.symlink(os.path.join(bin_dir, name), os.path.join(root, "build", "bin", name))
    for name in ("deploy", "tools", "proto"):
        os.symlink(os.path.join(repo, name), os.path.join(root, name))
    return root


def write_ctl_wrapper(root, bin_dir, addr):
    path = os.path.join(root, "build", "bin", "huanxinctl")
    with open(path, "w") as f:
        f.write("#!/bin/bash\n"
                "# The test's stand-in: huanxinctl with --addr of the test server unless given.\n"
                'for a in "$@"; do case "$a" in --addr|--addr=*) exec %s "$@";; esac; done\n'
                'exec %s --addr %s "$@"\n' % (os.path.join(bin_dir, "huanxinctl"),
                                              os.path.join(bin_dir, "huanxinctl"), addr))
    os.chmod(path, 0o755)


def start_server(root, bin_dir):
    """huanxind as tools/run.sh starts it, on a free port, with the demo loaded."""
    var = os.path.join(root, "var")
    os.makedirs(var)
    out = open(os.path.join(var, "huanxind.out"), "w+")
    log = open(os.path.join(var, "huanxind.log"), "w")
    proc = subprocess.Popen([os.path.join(bin_dir, "huanxind"), "--insecure",
                             "--listen=127.0.0.1:0", "--data_dir=" + var],
                            stdout=out, stderr=log, cwd=root)
    with open(os.path.join(var, "huanxind.pid"), "w") as f:
        f.write("%d\n" % proc.pid)
    deadline = time.time() + 15
    addr = None
    while time.time() < deadline and addr is None:
        out.seek(0)
        m = re.search(r"^listening on (\S+)$", out.read(), re.M)
        if m:
            addr = m.group(1)
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.05)
    if addr is None:
        proc.kill()
        sys.exit("FAIL: huanxind did not start:\n" + open(log.name).read())
    subprocess.run([os.path.join(bin_dir, "huanxinctl"), "--addr", addr, "demo", "load",
                    os.path.join(root, "deploy", "demo")],
                   check=True, cwd=root, stdout=subprocess.DEVNULL)
    return proc, addr


class PortMap:
    """Maps every port a doc names to a free one; 50051 is the test server's."""

    def __init__(self, server_port):
        self.ports = {"50051": str(server_port)}

    def rewrite(self, text):
        def sub(m):
            if m.group(0) not in self.ports:
                self.ports[m.group(0)] = str(free_port())
            return self.ports[m.group(0)]
        return DOC_PORT.sub(sub, text)


def script_for(doc, runnable, ports):
    """One bash script running the doc's blocks in order, announcing each on stderr."""
    parts = ["set -euo pipefail", "shopt -s expand_aliases"]
    for line, text in runnable:
        parts.append("echo '>>> %s:%d' >&2" % (doc, line))
        parts.append(ports.rewrite(text))
    return "\n".join(parts) + "\n"


def run_doc(doc, script, root, verbose):
    # Output through a pipe (the docs' `tee /dev/stderr` would truncate a file), read on a
    # thread: servers a block leaves running in the background keep the pipe open, and the
    # doc is done when its shell exits.
    proc = subprocess.Popen(["bash", "-c", script], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(proc.stdout.readline, b"")))
    reader.start()
    try:
        rc = proc.wait(timeout=FILE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        rc = "timeout after %d s" % FILE_TIMEOUT_S
    # Servers a block started in the background (the split deployment) end with the doc.
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    proc.wait()
    reader.join(timeout=15)
    output = b"".join(chunks).decode("utf-8", "replace")
    if verbose or rc != 0:
        print(output)
    if rc != 0:
        last = re.findall(r"^>>> (\S+)$", output, re.M)
        print("FAIL: %s: the block at %s failed (%s)" % (doc, last[-1] if last else doc, rc))
        return False
    return True


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    repo, bin_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    verbose = "-v" in sys.argv[3:]
    tmp = tempfile.mkdtemp(prefix="hx-docs-")
    server = None
    ok = True
    try:
        root = make_root(repo, bin_dir, tmp)
        server, addr = start_server(root, bin_dir)
        write_ctl_wrapper(root, bin_dir, addr)
        ports = PortMap(addr.rsplit(":", 1)[1])
        for doc in DOCS:
            path = os.path.join(repo, doc)
            if not os.path.exists(path):
                print("FAIL: %s is missing" % doc)
                ok = False
                continue
            runnable = []
            for line, lang, skipped, text in blocks(path):
                if lang in RUNNABLE and not skipped:
                    runnable.append((line, text))
                elif lang in RUNNABLE:
                    print("skip %s:%d (marked)" % (doc, line))
            if runnable:
                print("run  %s: %d blocks" % (doc, len(runnable)))
                ok = run_doc(doc, script_for(doc, runnable, ports), root, verbose) and ok
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("PASS" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
