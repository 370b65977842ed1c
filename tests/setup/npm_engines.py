#!/usr/bin/env python3
"""Test: every package taken from npm (each package-lock.json under tests/, for the tests, and vendor/, for
the pages' browser libraries) runs on Debian 12's nodejs 18: no package declares an engines.node range that Node 18.20 does not satisfy."""
import json
import pathlib
import re
import sys

NODE = (18, 20, 4)  # Debian 12's nodejs
root = pathlib.Path(__file__).resolve().parents[2]


def version(text):
    parts = [int(p) for p in re.findall(r"\d+", text)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def satisfied(rng):
    """True if NODE satisfies an npm engines range made of ||-alternatives of >=, >, <, <=, ^, ~, x, *."""
    for alt in rng.split("||"):
        ok = True
        for term in alt.split():
            m = re.fullmatch(r"(>=|<=|>|<|\^|~|=)?v?(\d+(?:\.(?:\d+|x|\*))*(?:\.\d+)?|\*|x)", term)
            if not m:
                raise ValueError(f"cannot read engines range {rng!r}")
            op, ver = m.group(1) or "", m.group(2)
            if ver in ("*", "x"):
                continue
            v = version(ver)
            if op == ">=":
                ok &= NODE >= v
            elif op == ">":
                ok &= NODE > v
            elif op == "<":
                ok &= NODE < v
            elif op == "<=":
                ok &= NODE <= v
            elif op == "^":
                ok &= NODE >= v and NODE[0] == v[0]
            else:  # ~, =, or a bare (possibly partial) version
                ok &= NODE >= v and NODE[0] == v[0]
        if ok:
            return True
    return False


bad = []
locks = [p for d in ("tests", "vendor") for p in (root / d).rglob("package-lock.json")
         if "node_modules" not in p.parts]
for lock in locks:
    data = json.loads(lock.read_text())
    for name, pkg in data.get("packages", {}).items():
        rng = (pkg.get("engines") or {}).get("node")
        if rng and not satisfied(rng):
            bad.append(f"{lock.relative_to(root)}: {name or '(root)'} {pkg.get('version', '')} needs node {rng}")
if not locks:
    bad.append("no package-lock.json found under tests/ or vendor/")
if bad:
    print("FAIL: packages that Debian 12's Node 18.20 cannot run:\n  " + "\n  ".join(bad))
    sys.exit(1)
print(f"ok: {len(locks)} lockfiles, every package runs on Node {'.'.join(map(str, NODE))}")
