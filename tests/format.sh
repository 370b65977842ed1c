#!/usr/bin/env bash
# Format check: every C file of the tree is as the repository's .clang-format writes it (Debian 12's
# clang-format 14). Prints the files that differ and how to fix them; exits non-zero if any does.
set -u
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$fmt" ]; then
	echo "format: clang-format not found (apt-get install clang-format)"
	exit 1
fi
files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' 2>/dev/null)
out=$(echo "$files" | xargs "$fmt" --style=file --dry-run -Werror 2>&1)
if [ -n "$out" ]; then
	bad=$(echo "$out" | grep -oE '^[^: ]+\.[ch]:' | sort -u | tr -d ':' | tr '\n' ' ')
	echo "format: these files differ from .clang-format; run: $fmt --style=file -i $bad"
	exit 1
fi
echo "format: ok ($(echo "$files" | wc -w) files)"
