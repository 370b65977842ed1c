#!/usr/bin/env bash
# Lint: banned functions, layer include boundaries (STYLE.md), unit tests named after their module, and no
# pipe into grep -q in a script under pipefail. Exits non-zero with the offending lines.
set -u
cd "$(dirname "$0")/.."
fail=0
src=$(git ls-files -co --exclude-standard -- 'server/*.c' 'server/*.h' 'calendar/*.c' 'calendar/*.h' \
	'notifications/*.c' 'notifications/*.h' 2>/dev/null || find server calendar notifications -name '*.[ch]')

report() {
	echo "lint: $1"
	echo "$2" | sed 's/^/    /'
	fail=1
}

hits=$(grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gmtime|localtime|gets)[[:space:]]*\(' $src \
	| grep -vE '^\S+:[0-9]+:\s*(/\*|\*)' || true)
[ -n "$hits" ] && report "banned function (use snprintf, strtol, gmtime_r, ...)" "$hits"

only_in() { # header, allowed path regex
	local h=$1 allow=$2 bad
	bad=$(grep -nE "#include[[:space:]]*[<\"]$h" $src | grep -vE "^($allow)" || true)
	[ -n "$bad" ] && report "$h included outside $allow" "$bad"
}
only_in 'libwebsockets\.h' 'server/transport/|server/main\.c'
only_in 'sqlite3\.h' 'server/store/'
only_in 'libical/' 'calendar/'
only_in 'curl/' 'notifications/'

not_from() { # directory, forbidden include prefixes regex
	local dir=$1 forbid=$2 bad
	bad=$(grep -nE "#include[[:space:]]*\"($forbid)" $(echo "$src" | grep "^$dir") 2>/dev/null || true)
	[ -n "$bad" ] && report "$dir must not include ($forbid) (data flows transport -> api -> domain -> store)" "$bad"
}
not_from 'server/util/' 'store/|domain/|api/|transport/|calendar/|notifications/'
not_from 'server/config\.' 'store/|domain/|api/|transport/|calendar/|notifications/'
not_from 'server/store/' 'domain/|api/|transport/|notifications/'
not_from 'server/domain/' 'api/|transport/|notifications/'
not_from 'server/api/' 'transport/|store/store_|notifications/'
not_from 'server/transport/' 'notifications/'
not_from 'calendar/' 'store/|domain/|api/|transport/|notifications/'
not_from 'notifications/' 'api/|transport/'

# A relative path would step around the include views that the build gives each layer.
rel=$(grep -nE '#include[[:space:]]*"[^"]*\.\./' $src || true)
[ -n "$rel" ] && report "#include with ../ (spell it from the layer: \"store/db.h\")" "$rel"

direct=$(grep -nE '\bsqlite3_[a-z_]+\(' $(echo "$src" | grep -vE '^server/store/') 2>/dev/null || true)
[ -n "$direct" ] && report "sqlite3_* calls outside server/store/" "$direct"

# Unit tests mirror the tree: tests/unit/<layer>/test_<module>.c tests <module>.c of that layer. Not named
# after one module: util/test_secret_floor (util/secret.c built as for a real run), api/test_docs (the
# router's table against docs/api.md) and api/test_routes (handlers through the router).
units=$(git ls-files -co --exclude-standard -- 'tests/unit/*/test_*.c' 2>/dev/null ||
	find tests/unit -mindepth 2 -name 'test_*.c')
stray=
for t in $units; do
	layer=$(basename "$(dirname "$t")")
	module=$(basename "$t" .c)
	module=${module#test_}
	case $layer in
	calendar | notifications) dir=$layer ;;
	*) dir=server/$layer ;;
	esac
	case $layer/$module in
	util/secret_floor | api/docs | api/routes) continue ;;
	esac
	[ -f "$dir/$module.c" ] || stray="$stray$t (no $dir/$module.c)"$'\n'
done
[ -n "$stray" ] && report "unit test named after no module of its layer" "${stray%$'\n'}"

# Shell: under pipefail, `cmd | grep -q` fails at random (grep leaves at the first match and cmd dies of
# SIGPIPE); scripts/deps.sh once refreshed the package lists for nothing that way. Use grep >/dev/null.
sh_src=$(git ls-files -co --exclude-standard -- '*.sh' '.ci/*' 2>/dev/null ||
	find scripts tests bench .ci -type f)
gq=$(grep -lE '^[[:space:]]*set -[a-z]*o pipefail' $sh_src 2>/dev/null |
	xargs -r grep -nHE '(^|[^|])\|[[:space:]]*grep[[:space:]]+(-[a-zA-Z]*q|--quiet)' |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*#' || true)
[ -n "$gq" ] && report "a pipe into grep -q under pipefail (use grep ... >/dev/null, or <<<\"\$var\")" "$gq"

if [ "$fail" -ne 0 ]; then
	echo "lint: FAILED"
	exit 1
fi
echo "lint: ok ($(echo "$src" | wc -l) files)"
