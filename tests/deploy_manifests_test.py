#!/usr/bin/env python3
"""Checks deploy/ without a container engine or a cluster (CI parses the manifests
and verifies the units where it can).

  deploy_manifests_test.py REPO_ROOT [HUANXIND]

- Every *.yml / *.yaml under deploy/ parses (PyYAML when installed, else a minimal
  structural check), and the Kubernetes objects have what the deployment relies on: one
  ledger replica with a volume claim, gRPC probes, Secrets for keys and certificates.
- docker-compose.yml has the ledger and two edges; the Dockerfile builds on Debian 12 with
  the packages tools/setup.sh installs.
- The systemd units pass `systemd-analyze verify` (ExecStart pointed at HUANXIND, or
  /bin/true, since the units name the installed path); skipped when systemd-analyze is absent.
- The example flags file, the split deployment's flag files in deploy/config/, and the flag
  files of the Kubernetes ConfigMap, name only flags huanxind knows (when HUANXIND is given);
  every flag file a systemd unit reads is shipped in deploy/config/.
Exit 0 when all checks pass; 1 with the failures listed otherwise.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg)


def load_yaml_docs(path):
    text = open(path, encoding="utf-8").read()
    try:
        import yaml  # python3-yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        try:
            return [d for d in yaml.safe_load_all(text) if d is not None]
        except yaml.YAMLError as e:
            fail(f"{path}: {e}")
            return []
    # Minimal check: no tabs in indentation, every non-comment line is "key: ...", "- ..."
    # or a continuation of a block scalar / flow collection.
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("\t") or re.match(r"^ *\t", line):
            fail(f"{path}:{n}: tab in indentation")
    print(f"note: PyYAML missing; {path} only checked for tabs")
    return []


def check_yaml(root):
    files = sorted(glob.glob(os.path.join(root, "deploy", "**", "*.y*ml"), recursive=True))
    if not files:
        fail("no YAML under deploy/")
    objects = {}
    for f in files:
        for d in load_yaml_docs(f):
            if isinstance(d, dict) and "kind" in d:
                objects.setdefault(d["kind"], []).append((f, d))
    return files, objects


def check_k8s(objects):
    if not objects:
        return  # no PyYAML: nothing parsed
    sts = [d for _, d in objects.get("StatefulSet", [])]
    if len(sts) != 1:
        fail("expected one StatefulSet (the ledger)")
    for d in sts:
        if d["spec"].get("replicas") != 1:
            fail("the ledger StatefulSet must have exactly 1 replica (one writer)")
        if not d["spec"].get("volumeClaimTemplates"):
            fail("the ledger StatefulSet needs a volumeClaimTemplate")
    if not objects.get("Deployment"):
        fail("expected the edges as a Deployment")
    for kind in ("StatefulSet", "Deployment"):
        for f, d in objects.get(kind, []):
            for c in d["spec"]["template"]["spec"]["containers"]:
                for probe in ("readinessProbe", "livenessProbe"):
                    if "grpc" not in c.get(probe, {}):
                        fail(f"{f}: {d['metadata']['name']}/{c['name']} {probe} is not a grpc probe")
            vols = d["spec"]["template"]["spec"].get("volumes", [])
            if not any("secret" in v for v in vols):
                fail(f"{f}: {d['metadata']['name']} mounts no Secret")
    if len(objects.get("Secret", [])) < 3:
        fail("expected Secrets for the PII key, the signing key and certificates")
    if not objects.get("ConfigMap"):
        fail("expected a ConfigMap for the flags")
    if len(objects.get("Service", [])) < 2:
        fail("expected Services for the ledger and the edges")


def check_compose(root):
    path = os.path.join(root, "deploy", "docker", "docker-compose.yml")
    if not os.path.exists(path):
        fail("deploy/docker/docker-compose.yml is missing")
        return
    docs = load_yaml_docs(path)
    if docs:
        services = docs[0].get("services", {})
        ledgers = [s for s in services.values() if "--services=ledger" in s.get("command", [])]
        edges = [s for s in services.values()
                 if any(str(a).startswith("--ledger_address=") for a in s.get("command", []))]
        if len(ledgers) != 1 or len(edges) < 2:
            fail("docker-compose.yml: expected one ledger and two edges")


def check_dockerfile(root):
    path = os.path.join(root, "deploy", "docker", "Dockerfile")
    if not os.path.exists(path):
        fail("deploy/docker/Dockerfile is missing")
        return
    text = open(path, encoding="utf-8").read()
    if not re.search(r"^FROM debian:12\b", text, re.M):
        fail("Dockerfile: the build stage must be FROM debian:12")
    setup = open(os.path.join(root, "tools", "setup.sh"), encoding="utf-8").read()
    m = re.search(r"HX_PACKAGES=\(\s*(.*?)\)", setup, re.S)
    for pkg in (m.group(1).split() if m else []):
        if not re.search(r"(?<![\w.+-])" + re.escape(pkg) + r"(?![\w.+-])", text):
            fail(f"Dockerfile does not install {pkg} (tools/setup.sh does)")


def check_units(root, huanxind):
    units = sorted(glob.glob(os.path.join(root, "deploy", "systemd", "*.service")))
    if not units:
        fail("no systemd units under deploy/systemd")
        return
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("skip: systemd-analyze not installed; units not verified")
        return
    exe = huanxind if huanxind and os.access(huanxind, os.X_OK) else "/bin/true"
    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for u in units:
            text = open(u, encoding="utf-8").read().replace("/usr/local/bin/huanxind", exe)
            name = os.path.basename(u).replace("@.service", "@test.service")
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as out:
                out.write(text)
            names.append(os.path.join(tmp, name))
        r = subprocess.run([analyze, "verify", *names], capture_output=True, text=True,
                           env={**os.environ, "SYSTEMD_LOG_COLOR": "0"})
        out = r.stdout + r.stderr
        # Unknown keys are only warnings to systemd; here they are errors.
        bad = [l for l in out.splitlines()
               if re.search(r"Unknown (key|section)|Invalid|Failed to|not executable|bad-setting", l)]
        if r.returncode != 0 or bad:
            fail("systemd-analyze verify:\n" + out)
        else:
            print(f"ok: systemd-analyze verify {len(names)} units")


def check_flagfile(root, huanxind, objects):
    path = os.path.join(root, "deploy", "config", "huanxind.example.conf")
    if not os.path.exists(path):
        fail("deploy/config/huanxind.example.conf is missing")
        return
    flags = [l.strip() for l in open(path, encoding="utf-8") if l.strip().startswith("--")]
    if not flags:
        fail("huanxind.example.conf sets no flags")
    if not huanxind or not os.access(huanxind, os.X_OK):
        return
    r = subprocess.run([huanxind, "--helpfull"], capture_output=True, text=True)
    known = set(re.findall(r"^\s+--([a-z_0-9]+)", r.stdout + r.stderr, re.M))
    # Flag files of the ConfigMap (deploy/k8s/configmap.yaml), e.g. --health_listen, which
    # the gRPC probes rely on.
    sources = [("huanxind.example.conf", flags)]
    for conf in sorted(glob.glob(os.path.join(root, "deploy", "config", "*.conf"))):
        if os.path.basename(conf) != "huanxind.example.conf":
            sources.append((os.path.relpath(conf, root),
                            [l.strip() for l in open(conf, encoding="utf-8")
                             if l.strip().startswith("--")]))
    for f, d in objects.get("ConfigMap", []):
        for key, text in (d.get("data") or {}).items():
            sources.append((f"{os.path.relpath(f, root)} {key}",
                            [l.strip() for l in str(text).splitlines()
                             if l.strip().startswith("--")]))
    for where, lines in sources:
        for f in lines:
            name = f[2:].split("=", 1)[0]
            if name not in known:
                fail(f"{where}: huanxind has no flag --{name}")


def check_unit_flagfiles(root):
    """Every flag file a systemd unit reads from /etc/huanxin/ is shipped in deploy/config/
    (an instance's %i as the units' example instance, edge-1)."""
    for unit in sorted(glob.glob(os.path.join(root, "deploy", "systemd", "*.service"))):
        for line in open(unit, encoding="utf-8"):
            if not line.startswith("ExecStart="):
                continue
            for name in re.findall(r"--flagfile=/etc/huanxin/(\S+)", line):
                name = name.replace("%i", "edge-1")
                if name == "huanxind.conf":
                    name = "huanxind.example.conf"
                if not os.path.exists(os.path.join(root, "deploy", "config", name)):
                    fail(f"{os.path.relpath(unit, root)} reads /etc/huanxin/{name}, "
                         f"but deploy/config/{name} is not shipped")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    root = sys.argv[1]
    huanxind = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else ""
    files, objects = check_yaml(root)
    print(f"parsed {len(files)} YAML files")
    check_k8s(objects)
    check_compose(root)
    check_dockerfile(root)
    check_units(root, huanxind)
    check_flagfile(root, huanxind, objects)
    check_unit_flagfiles(root)
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        return 1
    print("all deploy checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
