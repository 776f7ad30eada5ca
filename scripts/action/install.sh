#!/usr/bin/env bash
# Installs planguard for the GitHub Action (action.yml) and puts it on PATH.
#
#   INPUT_PLANGUARD_BIN  use this planguard binary (a path, or a command on PATH); nothing is built
#   INPUT_PLANGUARD_SHA256  refuse INPUT_PLANGUARD_BIN unless its file has this hex SHA-256
#   INPUT_INSTALL_ONLY   true: this is the whole job of the action (INPUT_PLAN must be empty);
#                        false or empty: INPUT_PLAN must name a plan. Anything else is an error.
#                        Unset (this script on its own): only install.
#   INPUT_PLAN           the action's plan input, checked against INPUT_INSTALL_ONLY here, so
#                        that an empty plan fails the job instead of checking nothing
#   INPUT_VERSION        `go install github.com/planguard/terraform-provider-planguard/planguard@VERSION`
#                        (a tag such as v0.3.0, a commit, or latest)
#   ACTION_PATH          the action's own checkout (github.action_path): when INPUT_VERSION is
#                        empty, planguard is built from it with `go build` — exactly the code of
#                        the ref the workflow pinned in `uses:`
#   ACTION_REF           that ref (github.action_ref), stamped into `planguard version`
#
# Outputs (GITHUB_OUTPUT): planguard, the binary's absolute path. Its directory is
# added to GITHUB_PATH, so later steps can run `planguard apply`, `planguard verify-attestation`.
set -euo pipefail

# shellcheck source=escape.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/escape.sh"

module=github.com/planguard/terraform-provider-planguard

# Every message that can hold an input goes through ghesc (escape.sh).
fail() {
	echo "::error title=planguard install::$(ghesc "$1")"
	echo "planguard action: error: $(ghesc "$1")" >&2
	[ -z "${2:-}" ] || echo "planguard action: hint: $(ghesc "$2")" >&2
	exit 2
}

# An empty plan is a mistake unless the caller said install-only: a job that meant to check a
# plan and checks nothing must not pass.
# (INPUT_INSTALL_ONLY unset: this script runs on its own, outside the action, to install.)
if [ -n "${INPUT_INSTALL_ONLY+set}" ]; then
	case "${INPUT_INSTALL_ONLY:-false}" in
	true) [ -z "${INPUT_PLAN:-}" ] || fail "install-only is true but plan is '${INPUT_PLAN}'" "drop install-only to check the plan, or drop plan to only install" ;;
	false) [ -n "${INPUT_PLAN:-}" ] || fail "input 'plan' is empty: nothing would be checked" "pass the saved plan (plan: tfplan), or install-only: true to only install planguard" ;;
	*) fail "install-only is '${INPUT_INSTALL_ONLY}': use true or false" ;;
	esac
fi

[ -z "${INPUT_PLANGUARD_SHA256:-}" ] || [ -n "${INPUT_PLANGUARD_BIN:-}" ] ||
	fail "planguard-sha256 is set but planguard-bin is not" "the pin checks a prebuilt planguard: pass planguard-bin"

bin_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/planguard-bin"
mkdir -p "$bin_dir"
bin_dir="$(cd "$bin_dir" && pwd)"

if [ -n "${INPUT_PLANGUARD_BIN:-}" ]; then
	pg="$(command -v "$INPUT_PLANGUARD_BIN" || true)"
	[ -n "$pg" ] && [ -f "$pg" ] && [ -x "$pg" ] || fail "planguard-bin '$INPUT_PLANGUARD_BIN' is not an executable file or command"
	case "$pg" in /*) ;; *) pg="$PWD/$pg" ;; esac
	if [ -n "${INPUT_PLANGUARD_SHA256:-}" ]; then
		want="$(printf '%s' "$INPUT_PLANGUARD_SHA256" | tr 'A-F' 'a-f')"
		case "$want" in *[!0-9a-f]*) fail "planguard-sha256 '$INPUT_PLANGUARD_SHA256' is not a hex SHA-256" ;; esac
		[ "${#want}" -eq 64 ] || fail "planguard-sha256 '$INPUT_PLANGUARD_SHA256' is not a hex SHA-256 (64 hex digits)"
		# Bash prints a failed redirection's path raw (a newline in it would start a workflow
		# command): test it with that message sent to /dev/null, and report through fail.
		{ : <"$pg"; } 2>/dev/null || fail "cannot read $pg" "planguard-bin must be readable, to be hashed"
		got="$(sha256sum 2>/dev/null <"$pg" | cut -d' ' -f1)" || fail "cannot hash $pg"
		[ "$got" = "$want" ] || fail "planguard-bin $pg has SHA-256 $got, not the pinned $want" "a changed or replaced planguard is never run"
		# Run a private copy of exactly the hashed bytes, not the path, which can change after this.
		cp -- "$pg" "$bin_dir/planguard.pinned.$$" && chmod 0555 "$bin_dir/planguard.pinned.$$" || fail "cannot copy $pg"
		got="$(sha256sum 2>/dev/null <"$bin_dir/planguard.pinned.$$" | cut -d' ' -f1)"
		[ "$got" = "$want" ] || fail "the copy of planguard-bin $pg has SHA-256 $got, not the pinned $want"
		rm -f "$bin_dir/planguard"
		mv -f -- "$bin_dir/planguard.pinned.$$" "$bin_dir/planguard" || fail "cannot install the pinned planguard"
		pg="$bin_dir/planguard"
	fi
	# (planguard-bin: planguard, found on PATH where an earlier run put it: keep it)
	[ "$pg" -ef "$bin_dir/planguard" ] || ln -sf "$pg" "$bin_dir/planguard"
else
	rm -f "$bin_dir/planguard" # never build through a symlink an earlier run left
	command -v go >/dev/null 2>&1 ||
		fail "go is not installed, and planguard is built from source" \
			"add actions/setup-go before this action, or pass planguard-bin with a prebuilt planguard"
	if [ -n "${INPUT_VERSION:-}" ]; then
		case "$INPUT_VERSION" in *[!A-Za-z0-9._/+-]*) fail "version '$INPUT_VERSION' is not a tag, a commit or latest" ;; esac
		echo "planguard: go install $module/planguard@$(ghesc "$INPUT_VERSION")"
		GOBIN="$bin_dir" go install -trimpath -ldflags "-X main.version=$INPUT_VERSION" "$module/planguard@$INPUT_VERSION" ||
			fail "go install $module/planguard@$INPUT_VERSION failed" "check the version input (a tag, a commit, or latest)"
	else
		[ -n "${ACTION_PATH:-}" ] && [ -f "$ACTION_PATH/go.mod" ] ||
			fail "the action's checkout (ACTION_PATH='${ACTION_PATH:-}') holds no go.mod" "pass the version input"
		ref="${ACTION_REF:-}"
		ref="${ref//[^A-Za-z0-9._\/+-]/_}" # stamped into -ldflags: no spaces or quotes
		echo "planguard: go build ./planguard in the action's checkout ($(ghesc "${ref:-local}"))"
		(cd "$ACTION_PATH" && go build -trimpath -ldflags "-X main.version=${ref:-action}" -o "$bin_dir/planguard" ./planguard) ||
			fail "go build of planguard failed" "the action's Go version is in its go.mod; add actions/setup-go, or pass planguard-bin"
	fi
fi

"$bin_dir/planguard" version || fail "$bin_dir/planguard does not run"
[ -z "${GITHUB_PATH:-}" ] || echo "$bin_dir" >>"$GITHUB_PATH"
[ -z "${GITHUB_OUTPUT:-}" ] || echo "planguard=$bin_dir/planguard" >>"$GITHUB_OUTPUT"
