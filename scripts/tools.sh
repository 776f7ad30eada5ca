#!/usr/bin/env bash
# Installs the pinned tools planguard's tests and docs need into a cache
# outside the clone (PLANGUARD_TOOLS, default ~/.cache/planguard/bin),
# reusing binaries already there at the right version. Offline-safe: only
# the Go module proxy is used.
set -euo pipefail

bin="${PLANGUARD_TOOLS:-$HOME/.cache/planguard/bin}"
mkdir -p "$bin"
export GOBIN="$bin" GOFLAGS="${GOFLAGS:-} -buildvcs=false"

# have NAME WANT: true when $bin/NAME exists and its version output contains WANT.
have() {
	[ -x "$bin/$1" ] || return 1
	case "$1" in
	golangci-lint) "$bin/$1" version 2>/dev/null | grep -qF "$2" ;;
	# tfplugindocs built by go install reports "dev": trust the marker this script writes.
	tfplugindocs) [ -f "$bin/.tfplugindocs-$2" ] ;;
	*) CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$bin/$1" version 2>/dev/null | grep -qF "$2" ;;
	esac
}

install() { # NAME VERSION MODULE
	if have "$1" "$2"; then
		echo "tools: $1 $2 present in $bin"
		return
	fi
	echo "tools: installing $1 $2 into $bin (a cold build takes minutes)"
	(cd / && go install "$3@v$2")
	[ "$1" != tfplugindocs ] || touch "$bin/.tfplugindocs-$2"
}

install terraform 1.8.5 github.com/hashicorp/terraform
install tofu 1.6.2 github.com/opentofu/opentofu/cmd/tofu
install tfplugindocs 0.25.0 github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs
install golangci-lint 2.15.0 github.com/golangci/golangci-lint/v2/cmd/golangci-lint
