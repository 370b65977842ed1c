#!/usr/bin/env python3
"""Consistency: every error code the server can answer is documented in docs/api.md."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
docs = (root / "docs" / "api.md").read_text(encoding="utf-8")
pattern = re.compile(r'\b(?:dom_fail|api_fail)\s*\(\s*[^,()]+,\s*[A-Z_]+,\s*"([a-z_]+)"', re.S)
defaults = re.compile(r'\{\s*\d{3},\s*"([a-z_]+)"\s*\}')
codes = set()
for path in list((root / "server").rglob("*.c")) + list((root / "calendar").rglob("*.c")):
    text = path.read_text(encoding="utf-8")
    codes.update(pattern.findall(text))
    if path.name == "errors.c":
        codes.update(defaults.findall(text))
missing = sorted(c for c in codes if f"`{c}`" not in docs and c not in docs)
for c in missing:
    print(f"error code '{c}' is not documented in docs/api.md")
print(f"{len(codes) - len(missing)} passed, {len(missing)} failed")
sys.exit(1 if missing else 0)
