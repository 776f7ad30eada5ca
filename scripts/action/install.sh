#!/usr/bin/env bash
# Installs planguard for the GitHub Action (action.yml) and puts it on PATH.
#
#   INPUT_PLANGUARD_BIN  use this planguard binary (a path, or a command on PATH); nothing is built
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

module=github.com/planguard/terraform-provider-planguard

fail() {
	echo "::error title=planguard install::$1"
	echo "planguard action: error: $1" >&2
	[ -z "${2:-}" ] || echo "planguard action: hint: $2" >&2
	exit 2
}

bin_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/planguard-bin"
mkdir -p "$bin_dir"
bin_dir="$(cd "$bin_dir" && pwd)"

if [ -n "${INPUT_PLANGUARD_BIN:-}" ]; then
	pg="$(command -v "$INPUT_PLANGUARD_BIN" || true)"
	[ -n "$pg" ] && [ -f "$pg" ] && [ -x "$pg" ] || fail "planguard-bin '$INPUT_PLANGUARD_BIN' is not an executable file or command"
	case "$pg" in /*) ;; *) pg="$PWD/$pg" ;; esac
	# (planguard-bin: planguard, found on PATH where an earlier run put it: keep it)
	[ "$pg" -ef "$bin_dir/planguard" ] || ln -sf "$pg" "$bin_dir/planguard"
else
	rm -f "$bin_dir/planguard" # never build through a symlink an earlier run left
	command -v go >/dev/null 2>&1 ||
		fail "go is not installed, and planguard is built from source" \
			"add actions/setup-go before this action, or pass planguard-bin with a prebuilt planguard"
	if [ -n "${INPUT_VERSION:-}" ]; then
		echo "planguard: go install $module/planguard@$INPUT_VERSION"
		case "$INPUT_VERSION" in *[!A-Za-z0-9._/+-]*) fail "version '$INPUT_VERSION' is not a tag, a commit or latest" ;; esac
		GOBIN="$bin_dir" go install -trimpath -ldflags "-X main.version=$INPUT_VERSION" "$module/planguard@$INPUT_VERSION" ||
			fail "go install $module/planguard@$INPUT_VERSION failed" "check the version input (a tag, a commit, or latest)"
	else
		[ -n "${ACTION_PATH:-}" ] && [ -f "$ACTION_PATH/go.mod" ] ||
			fail "the action's checkout (ACTION_PATH='${ACTION_PATH:-}') holds no go.mod" "pass the version input"
		ref="${ACTION_REF:-}"
		ref="${ref//[^A-Za-z0-9._\/+-]/_}" # stamped into -ldflags: no spaces or quotes
		echo "planguard: go build ./planguard in the action's checkout (${ref:-local})"
		(cd "$ACTION_PATH" && go build -trimpath -ldflags "-X main.version=${ref:-action}" -o "$bin_dir/planguard" ./planguard) ||
			fail "go build of planguard failed" "the action's Go version is in its go.mod; add actions/setup-go, or pass planguard-bin"
	fi
fi

"$bin_dir/planguard" version || fail "$bin_dir/planguard does not run"
[ -z "${GITHUB_PATH:-}" ] || echo "$bin_dir" >>"$GITHUB_PATH"
[ -z "${GITHUB_OUTPUT:-}" ] || echo "planguard=$bin_dir/planguard" >>"$GITHUB_OUTPUT"
