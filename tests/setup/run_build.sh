#!/usr/bin/env bash
# Test: the README's run command builds majlisd on a machine without any test package. cmocka is hidden
# from pkg-config; scripts/run.sh (without its apt step) must configure, build (optimised, as users get it,
# and warning-free) and start majlisd --help.
set -euo pipefail
cd "$(dirname "$0")/../.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/pc"
# every pkg-config file of the machine except cmocka's
IFS=: read -r -a dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${dirs[@]}"; do
	[ -d "$d" ] || continue
	for f in "$d"/*.pc; do
		[ -e "$f" ] || continue
		case "$(basename "$f")" in
		cmocka.pc) ;;
		*) [ -e "$tmp/pc/$(basename "$f")" ] || ln -s "$f" "$tmp/pc/" ;;
		esac
	done
done
if PKG_CONFIG_LIBDIR="$tmp/pc" pkg-config --exists cmocka; then
	echo "FAIL: could not hide cmocka from pkg-config"
	exit 1
fi

if ! PKG_CONFIG_LIBDIR="$tmp/pc" MAJLIS_DEPS=skip MAJLIS_BUILD_DIR="$tmp/build" MAJLIS_WERROR=ON \
	scripts/run.sh --help >"$tmp/out" 2>&1; then
	echo "FAIL: scripts/run.sh without cmocka did not build and start majlisd:"
	tail -n 20 "$tmp/out"
	exit 1
fi
grep -q -- '--listen' "$tmp/out" || {
	echo "FAIL: majlisd --help printed no option list:"
	tail -n 20 "$tmp/out"
	exit 1
}
# nothing of the tests was configured in the run build
if [ -e "$tmp/build/tests" ] || grep -rqs 'add_test' "$tmp/build/CTestTestfile.cmake"; then
	echo "FAIL: the run build configured the tests"
	exit 1
fi

# the test build needs cmocka and says so
if PKG_CONFIG_LIBDIR="$tmp/pc" cmake -S . -B "$tmp/test-build" -DMAJLIS_TESTS=ON >"$tmp/cfg" 2>&1; then
	echo "FAIL: the test build configured without cmocka"
	exit 1
fi
grep -q 'install libcmocka-dev' "$tmp/cfg" || {
	echo "FAIL: the test build without cmocka gave no clear message:"
	tail -n 20 "$tmp/cfg"
	exit 1
}
echo "ok: run build without cmocka; test build refuses clearly without it"
