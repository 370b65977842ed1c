#!/usr/bin/env bash
# Installs the browser libraries of majlisd's pages (vendor/package.json, pinned by vendor/package-lock.json)
# with `npm ci` into vendor/node_modules (outside the web root: majlisd serves every file of web/) and copies
# the files the pages use (vendor/package.json's "majlis.serve": package -> files) into web/vendor/<package>/,
# which majlisd serves, compressed, like the rest of the web root. npm runs only when
# the lockfile is newer than what is installed; with everything in place it needs no network. Idempotent.
# Usage: scripts/web_vendor.sh
set -euo pipefail
cd "$(dirname "$0")/../vendor"

for tool in node npm; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "web_vendor: $tool is needed for the pages' browser libraries (apt-get install nodejs npm)" >&2
		exit 1
	fi
done
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "==> npm ci (vendor: browser libraries served by majlisd)"
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch node_modules/.package-lock.json
fi
# the served copy: exactly the listed files (a file no longer listed goes), replaced only when it changed
node -e '
const fs = require("fs"), path = require("path");
const serve = (require("./package.json").majlis || {}).serve || {};
const want = new Set();
for (const [pkg, files] of Object.entries(serve)) {
	for (const f of files) {
		const from = path.join("node_modules", pkg, f), to = path.join("..", "web", "vendor", pkg, f);
		if (!fs.existsSync(from)) throw new Error("web_vendor: " + from + " is not in the installed package");
		want.add(to);
		const same = fs.existsSync(to) && fs.readFileSync(to).equals(fs.readFileSync(from));
		if (!same) {
			fs.mkdirSync(path.dirname(to), { recursive: true });
			fs.copyFileSync(from, to + ".tmp");
			fs.renameSync(to + ".tmp", to); /* a new inode: majlisd may be serving the old one */
		}
	}
}
(function prune(dir) {
	if (!fs.existsSync(dir)) return;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) {
			prune(p);
			if (!fs.readdirSync(p).length) fs.rmdirSync(p);
		} else if (!want.has(p)) fs.unlinkSync(p);
	}
})(path.join("..", "web", "vendor"));
'
