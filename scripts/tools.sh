#!/usr/bin/env bash
# Installs the pinned tools planguard's tests and docs need into a cache
# outside the clone (PLANGUARD_TOOLS, default ~/.cache/planguard/bin),
# reusing binaries already there at the right version. Offline-safe: only
# the Go module proxy is used.
#
# Usage: scripts/tools.sh [NAME...]: only the named tools (terraform, tofu,
# tfplugindocs, golangci-lint, govulncheck, vulndb); all without arguments
# (make tools, what .ci/run and the test command use). make demo asks only
# for terraform, and only when there is none on PATH.
set -euo pipefail

all="terraform tofu tfplugindocs golangci-lint govulncheck vulndb"
wanted=" ${*:-$all} "
for n in $wanted; do
	case " $all " in *" $n "*) ;; *) echo "tools: unknown tool $n (known: $all)" >&2; exit 2 ;; esac
done
# wants NAME: NAME was asked for.
wants() { [[ $wanted == *" $1 "* ]]; }

bin="${PLANGUARD_TOOLS:-$HOME/.cache/planguard/bin}"
mkdir -p "$bin"
export GOBIN="$bin" GOFLAGS="${GOFLAGS:-} -buildvcs=false"

# have NAME WANT: true when $bin/NAME exists and its version output contains
# WANT. (The output is read whole: `| grep -q` under pipefail fails when grep
# exits before the tool has written everything, and the tool was rebuilt.)
have() {
	[ -x "$bin/$1" ] || return 1
	local out=""
	case "$1" in
	golangci-lint) out=$("$bin/$1" version 2>/dev/null) || true ;;
	# tfplugindocs built by go install reports "dev": trust the marker this script writes.
	tfplugindocs) [ -f "$bin/.tfplugindocs-$2" ]; return ;;
	govulncheck) out=$("$bin/$1" -version 2>/dev/null) || true; [[ $out == *"govulncheck@v$2"* ]]; return ;;
	indexdb) [ -f "$bin/.indexdb-$2" ]; return ;;
	*) out=$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$bin/$1" version 2>/dev/null) || true ;;
	esac
	[[ $out == *"$2"* ]]
}

install() { # NAME VERSION MODULE
	wants "$1" || [[ $1 == indexdb ]] || return 0
	if have "$1" "$2"; then
		echo "tools: $1 $2 present in $bin"
		return
	fi
	echo "tools: installing $1 $2 into $bin (a cold build takes minutes)"
	(cd / && go install "$3@v$2")
	case "$1" in tfplugindocs | indexdb) touch "$bin/.$1-$2" ;; esac
}

install terraform 1.8.5 github.com/hashicorp/terraform
install tofu 1.6.2 github.com/opentofu/opentofu/cmd/tofu
install tfplugindocs 0.25.0 github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs
install golangci-lint 2.15.0 github.com/golangci/golangci-lint/v2/cmd/golangci-lint
install govulncheck 1.9.0 golang.org/x/vuln/cmd/govulncheck

# The Go vulnerability database, offline: vuln.go.dev is unreachable here, but
# the module proxy serves golang.org/x/vulndb, whose data/osv holds every
# report; its own indexdb command builds the database govulncheck reads with
# -db file://. Pinned to a snapshot (bump VULNDB to refresh it).
wants vulndb || exit 0
vulndb="${VULNDB:-0.0.0-20261105234957-e22db6528018}"
install indexdb "$vulndb" golang.org/x/vulndb/cmd/indexdb
db="$(dirname "$bin")/vulndb-$vulndb"
if [ -f "$db/index/db.json" ]; then
	echo "tools: vulnerability database $vulndb present in $db"
else
	echo "tools: building vulnerability database $vulndb into $db"
	src="$(cd / && go mod download -json "golang.org/x/vulndb@v$vulndb" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	[ -d "$src/data/osv" ] || { echo "tools: golang.org/x/vulndb@v$vulndb has no data/osv" >&2; exit 1; }
	rm -rf "$db.tmp"
	"$bin/indexdb" -vulns "$src/data/osv" -out "$db.tmp"
	mv "$db.tmp" "$db"
fi
