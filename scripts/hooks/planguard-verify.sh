#!/usr/bin/env bash
# planguard-verify: a pre-commit hook that runs `planguard verify` on the
# planguard_approval blocks of the .tf files being committed, so that a bad
# signature, an untrusted key, a wrong scope or an expired approval is caught
# before the push instead of in CI. It is early feedback for people; the gate
# in CI stays the authority.
#
# Usage:
#   planguard-verify.sh [--policy FILE] [--author PRINCIPAL] [FILE.tf...]
#
#   With FILEs (how the pre-commit framework calls it, see .pre-commit-hooks.yaml):
#     verifies those files as they are on disk (pre-commit stashes unstaged changes).
#   Without FILEs (installed as .git/hooks/pre-commit): verifies the staged
#     version of every staged .tf file, from a copy of the index, so that what
#     is checked is exactly what is committed.
#   Only files with a `resource "planguard_approval"` block are passed on;
#   others are not planguard's business.
#
#   --policy FILE        the policy (default $PLANGUARD_POLICY, else planguard.hcl at the
#                        top of the repository). Relative paths are relative to the top of
#                        the repository. A missing policy fails the hook.
#   --author PRINCIPAL   the change's author, whose own signatures never count (default
#                        $PLANGUARD_AUTHOR; unset, every trusted signature counts)
#   PLANGUARD_BIN        the planguard binary (default: planguard on PATH)
#
# Exit status: planguard verify's: 0 all approvals sound (or none staged), 1 some
# would not count, 2 error (no planguard, no policy, a parse error, ...).
set -uo pipefail

finished=0
trap '[ "$finished" = 1 ] || exit 2' EXIT
fail() {
	echo "planguard-verify: error: $1" >&2
	[ -z "${2:-}" ] || echo "planguard-verify: hint: $2" >&2
	finished=1
	exit 2
}

policy="${PLANGUARD_POLICY:-}"
author="${PLANGUARD_AUTHOR:-}"
files=()
while [ $# -gt 0 ]; do
	case "$1" in
	--policy) [ $# -ge 2 ] || fail "--policy needs a FILE"; policy="$2"; shift 2 ;;
	--policy=*) policy="${1#--policy=}"; shift ;;
	--author) [ $# -ge 2 ] || fail "--author needs a PRINCIPAL"; author="$2"; shift 2 ;;
	--author=*) author="${1#--author=}"; shift ;;
	--) shift; files+=("$@"); break ;;
	-*) fail "unknown flag $1" "planguard-verify.sh [--policy FILE] [--author PRINCIPAL] [FILE.tf...]" ;;
	*) files+=("$1"); shift ;;
	esac
done

pg="${PLANGUARD_BIN:-planguard}"
command -v "$pg" >/dev/null 2>&1 ||
	fail "planguard not found ('$pg')" "install planguard at the commit your .pre-commit-config.yaml pins (go install github.com/planguard/terraform-provider-planguard/planguard@COMMIT, never @latest), or set PLANGUARD_BIN"

top="$(git rev-parse --show-toplevel 2>/dev/null)" || fail "not in a git repository"
[ -n "$policy" ] || policy=planguard.hcl
case "$policy" in /*) ;; *) policy="$top/$policy" ;; esac
[ -f "$policy" ] || fail "policy $policy not found" "pass --policy FILE (in .pre-commit-config.yaml: args: [--policy, path/to/planguard.hcl]) or set PLANGUARD_POLICY"

# has_approval FILE: does FILE declare a planguard_approval resource?
has_approval() {
	grep -Eq '^[[:space:]]*resource[[:space:]]+"?planguard_approval"?[[:space:]]' "$1"
}

work=""
if [ ${#files[@]} -eq 0 ]; then
	# A plain git hook: verify the index, not the working tree.
	work="$(mktemp -d "${TMPDIR:-/tmp}/planguard-verify.XXXXXX")" || fail "mktemp failed"
	trap 'rm -rf "$work"; [ "$finished" = 1 ] || exit 2' EXIT
	(cd "$top" && git checkout-index --all --prefix="$work/") || fail "cannot copy the index"
	while IFS= read -r -d '' f; do
		files+=("$work/$f")
	done < <(cd "$top" && git diff --cached --name-only --diff-filter=ACMR -z -- '*.tf')
fi

approvals=()
for f in ${files[@]+"${files[@]}"}; do
	case "$f" in *.tf) ;; *) continue ;; esac
	[ -f "$f" ] || fail "$f not found"
	if has_approval "$f"; then
		approvals+=("$f")
	fi
done

if [ ${#approvals[@]} -eq 0 ]; then
	finished=1
	exit 0
fi

args=(verify --policy "$policy")
[ -z "$author" ] || args+=(--author "$author")
"$pg" "${args[@]}" "${approvals[@]}" 2>&1 | { if [ -n "$work" ]; then sed "s|$work/||g"; else cat; fi; }
status=${PIPESTATUS[0]}
case "$status" in
0) ;;
1) echo "planguard-verify: some approvals would not count (above); fix or re-sign them before committing" >&2 ;;
*) status=2 ;;
esac
finished=1
exit "$status"
