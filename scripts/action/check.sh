#!/usr/bin/env bash
# Runs `planguard check` the way the GitHub Action (action.yml) does; usable
# on its own in any CI that sets the same variables.
#
# Inputs (environment; action.yml maps its inputs to these). Every path is
# relative to INPUT_WORKING_DIRECTORY:
#   INPUT_PLAN               saved plan (binary, from `terraform plan -out`) or its
#                            `terraform show -json`. Required; not `-` (a file the job
#                            can hash and keep).
#   INPUT_POLICY             policy file (default planguard.hcl)
#   INPUT_POLICY_SHA256      refuse unless the policy hash (policy + trust files) is this (--policy-sha256);
#                            unset or "unpinned" (action.yml's default): no pin; set but empty: error
#   INPUT_AUTHOR             the change's author, or several separated by white space or new
#                            lines: their signatures never count (one --author each)
#   INPUT_TERRAFORM_BIN      absolute path of the terraform or tofu binary that reads a binary
#                            plan (--terraform-bin). Required for a binary plan: terraform is
#                            never taken from PATH or PLANGUARD_TERRAFORM, which code that ran
#                            earlier in the job (terraform plan runs the change's code) can set
#   INPUT_WORKING_DIRECTORY  where `terraform init` ran (default .)
#   INPUT_FORMATS            extra report files, comma or space separated: sarif, junit, text
#   INPUT_REPORT_DIR         where reports are written (default: a new directory in $RUNNER_TEMP)
#   INPUT_AUDIT_LOG          append the audit line to this file (--audit-log)
#   INPUT_ATTEST             write a signed attestation to this file (--attest) ...
#   INPUT_ATTEST_KEY         ... signed with this key (--attest-key)
#   PLANGUARD_BIN            the planguard binary (default: planguard on PATH)
#   PLANGUARD_ACTION_REQUIRE_AUTHOR  1: an empty INPUT_AUTHOR is an error (action.yml sets it:
#                            an empty author would silently exclude nobody's signatures)
#   GITHUB_STEP_SUMMARY      the markdown report is appended here (when set)
#   GITHUB_OUTPUT            outputs are appended here (when set): decision (allow, block or
#                            error), exit-code, report-dir, report-json, report-markdown,
#                            report-text, report-sarif, report-junit
#
# Writes the text report to the log, `--format github` annotations to stdout,
# and the JSON and markdown reports (and INPUT_FORMATS) to the report directory.
# The gate runs once, with --format json (and the audit log and attestation),
# and writes every other format from that same run (--out FORMAT=FILE): no
# second run shows the plan again (without lock_file a run without --attest
# would show it in the working directory, beside the gate key).
#
# Exit status: planguard's own, 0 allow, 1 block, 2 error (also when anything
# here goes wrong). With PLANGUARD_ACTION_DEFER_EXIT=1 it exits 0 once the
# outputs are written to GITHUB_OUTPUT, and the caller must fail on the
# exit-code output (action.yml's verdict step does): outputs of a failed step
# are not reliably passed on. It never defers when GITHUB_OUTPUT is unset, nor
# for an error found before planguard ran; an unwritable GITHUB_OUTPUT is exit 2.
set -uo pipefail

# Any way out of this script but its own exits (a bug, an unset variable, a
# signal) is exit 2, never 1 (block) or 0 (allow).
finished=0
trap '[ "$finished" = 1 ] || { echo "::error title=planguard::the planguard action failed unexpectedly"; exit 2; }' EXIT

# ghesc (escape.sh): every value that reaches the log goes through it.
# shellcheck source=escape.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/escape.sh" || exit 2

outputs_ok=1
out() { # out NAME VALUE: a step output
	[ -n "${GITHUB_OUTPUT:-}" ] || return 0
	case "$2" in *$'\n'* | *$'\r'*)
		outputs_ok=0
		return 1
		;;
	esac
	printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT" || outputs_ok=0
}

summary() { # append stdin to the step summary
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat >>"$GITHUB_STEP_SUMMARY"; else cat >/dev/null; fi
}

# untrusted FILE: print text that comes from the plan (addresses, values) with
# workflow commands disabled, so that nothing in a plan can forge an
# annotation or stop the runner from reading ours.
untrusted() {
	if [ "${GITHUB_ACTIONS:-}" = true ]; then
		local tok
		tok="planguard-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" || tok="planguard-$$-$RANDOM$RANDOM"
		echo "::stop-commands::$tok"
		cat "$1"
		echo "::$tok::"
	else
		cat "$1"
	fi
}

# die MESSAGE: an error before planguard could decide. The outputs say error,
# and the step fails (exit 2) even with PLANGUARD_ACTION_DEFER_EXIT.
die() {
	echo "::error title=planguard::$(ghesc "$*")"
	echo "planguard action: error: $(ghesc "$*")" >&2
	out decision error
	out exit-code 2
	printf '### :x: planguard: ERROR (the apply is blocked)\n\n%s\n\n' "$*" | summary
	finished=1
	exit 2
}

# Bash prints its own error for a failed redirection with the path raw (unlike cd, mkdir or cp,
# which quote it), and a path holding a newline could then start a workflow command. So a
# redirection to or from a path that comes from an input is tested first with bash's message
# sent to /dev/null (reported through die), and the redirections below put 2> first, so that a
# failure's message goes to /dev/null or the error log (printed between stop-commands).
writable() { # writable FILE...: each can be written (created or truncated), or die
	local f
	for f; do
		{ : >"$f"; } 2>/dev/null || die "cannot write $f (in the report directory)"
	done
}

plan="${INPUT_PLAN:-}"
policy="${INPUT_POLICY:-planguard.hcl}"
pg="${PLANGUARD_BIN:-planguard}"

[ -n "$plan" ] || die "input 'plan' is empty: pass the saved plan file (terraform plan -out FILE) or its terraform show -json"
[ "$plan" != - ] || die "input 'plan' is '-': pass a file"
case "$plan" in -*) plan="./$plan" ;; esac # a file, never a flag
if [ "${PLANGUARD_ACTION_REQUIRE_AUTHOR:-}" = 1 ] && [ -z "${INPUT_AUTHOR:-}" ]; then
	die "input 'author' is empty: outside a pull_request event pass the change's author (on a push to main, the merged pull request's author resolved through the API; see the guide), so that their own signatures do not count"
fi
tfbin="${INPUT_TERRAFORM_BIN:-}"
case "$tfbin" in
"" | /*) ;;
*) die "input 'terraform-bin' is '$tfbin': give an absolute path (a bare name is looked up on PATH, a relative path in the working directory, and both can be changed by code that ran earlier in the job)" ;;
esac
command -v "$pg" >/dev/null 2>&1 || die "planguard binary '$pg' not found (set PLANGUARD_BIN or put planguard on PATH)"
pg="$(command -v "$pg")"
case "$pg" in /*) ;; *) pg="$PWD/$pg" ;; esac

extra=()
set -f
formats="${INPUT_FORMATS:-}"
for f in ${formats//,/ }; do
	case "$f" in
	sarif | junit) extra+=("$f") ;;
	text | json | markdown | github) ;; # always written
	*) die "unknown format '$f' in input 'formats' (use sarif, junit, text)" ;;
	esac
done
set +f

cd "${INPUT_WORKING_DIRECTORY:-.}" || die "working directory '${INPUT_WORKING_DIRECTORY:-}' not found"

report_dir="${INPUT_REPORT_DIR:-}"
if [ -z "$report_dir" ]; then
	report_dir="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/planguard.XXXXXX")" || die "cannot create a report directory"
fi
mkdir -p "$report_dir" || die "cannot create report directory $report_dir"
report_dir="$(cd "$report_dir" && pwd)" || die "cannot enter report directory $report_dir"

# One time for every run, so that all reports judge expiry at the same instant.
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)" || die "date failed"

if [ -z "$tfbin" ]; then
	# No terraform for this plan: refuse a binary plan here, and name a file that does not
	# exist, so that planguard can never fall back to PLANGUARD_TERRAFORM or terraform on PATH.
	[ -f "$plan" ] && [ "$(head -c 4 -- "$plan" | od -An -tx1 | tr -d ' \n')" = 504b0304 ] &&
		die "$plan is a binary saved plan and input 'terraform-bin' is empty: pass the absolute path of the terraform or tofu that made it (never terraform from PATH), or pass the plan's terraform show -json"
	tfbin="$report_dir/no-terraform-bin-given"
fi

common=(--policy "$policy" --now "$now" --terraform-bin "$tfbin")
# The pin: absent (unset, or action.yml's default "unpinned") is no pin; given but empty is an
# error, never no pin: `policy-sha256: ${{ vars.X }}` is empty when X is unset, misnamed, or a
# secret (vars.X reads variables only), and the check would then run unpinned without a word.
if [ -n "${INPUT_POLICY_SHA256+set}" ]; then
	case "$INPUT_POLICY_SHA256" in
	unpinned) ;;
	*[![:space:]]*) common+=(--policy-sha256 "$INPUT_POLICY_SHA256") ;;
	*) die "input 'policy-sha256' is empty: the pin is empty, so it would pin nothing; set the variable it comes from (vars.PLANGUARD_POLICY_SHA256 is empty when the repository variable is unset, misnamed, or a secret) to the output of planguard policy-hash, or remove the input to run without a pin" ;;
	esac
fi
# One principal or several, separated by white space or new lines (a plan of main can carry
# several merges not yet applied): one --author each. allowed_signers principals hold no white
# space. An author input of white space only is an error: it would exclude nobody.
authors=0
set -f
for a in ${INPUT_AUTHOR:-}; do
	common+=(--author "$a")
	authors=$((authors + 1))
done
set +f
[ -z "${INPUT_AUTHOR:-}" ] || [ "$authors" -gt 0 ] || die "input 'author' is only white space: pass the change's author (or several, one per line), so that their own signatures do not count"

gate=()
[ -z "${INPUT_AUDIT_LOG:-}" ] || gate+=(--audit-log "$INPUT_AUDIT_LOG")
[ -z "${INPUT_ATTEST:-}" ] || gate+=(--attest "$INPUT_ATTEST")
[ -z "${INPUT_ATTEST_KEY:-}" ] || gate+=(--attest-key "$INPUT_ATTEST_KEY")

json="$report_dir/planguard.json"
md="$report_dir/planguard.md"
text="$report_dir/planguard.txt"
errlog="$report_dir/planguard.stderr"
writable "$errlog" "$json" "$md" "$text" "$report_dir/planguard.annotations"
for f in ${extra[@]+"${extra[@]}"}; do
	case "$f" in
	sarif) writable "$report_dir/planguard.sarif" ;;
	junit) writable "$report_dir/planguard.junit.xml" ;;
	esac
done
out report-dir "$report_dir"

# The decision and every report: one gate run.
outs=(--out "text=$text" --out "markdown=$md" --out "github=$report_dir/planguard.annotations")
for f in ${extra[@]+"${extra[@]}"}; do
	case "$f" in
	sarif) outs+=(--out "sarif=$report_dir/planguard.sarif") ;;
	junit) outs+=(--out "junit=$report_dir/planguard.junit.xml") ;;
	esac
done
"$pg" check "${common[@]}" "${gate[@]}" --format json "${outs[@]}" "$plan" 2>"$errlog" >"$json"
status=$?
case "$status" in
0) decision=allow ;;
1) decision=block ;;
*) status=2 decision=error ;;
esac
if [ "$status" -le 1 ]; then
	# The JSON must say the same thing as the exit status, and not the opposite. (No string
	# in JSON can hold an unescaped quote, so nothing in the plan can fake this key.)
	other=block
	[ "$decision" = allow ] || other=allow
	if ! grep -Eq "\"decision\":[[:space:]]*\"$decision\"" "$json" ||
		grep -Eq "\"decision\":[[:space:]]*\"$other\"" "$json"; then
		echo "planguard action: error: exit status $status but the JSON report does not say \"decision\": \"$decision\"" 2>/dev/null >>"$errlog"
		status=2 decision=error
	fi
fi

if [ "$status" -le 1 ]; then
	# The reports the decision run wrote (--out): each must be there.
	for r in "$text" "$md"; do
		[ -s "$r" ] || {
			echo "planguard action: error: the decision run wrote no report $(ghesc "$r")" 2>/dev/null >>"$errlog"
			status=2 decision=error
		}
	done
fi
if [ "$status" -le 1 ]; then
	untrusted "$text"
	out report-text "$text"
	# Workflow commands, escaped by planguard: annotations on the run.
	cat "$report_dir/planguard.annotations"
	for f in ${extra[@]+"${extra[@]}"}; do
		case "$f" in
		sarif) out report-sarif "$report_dir/planguard.sarif" ;;
		junit) out report-junit "$report_dir/planguard.junit.xml" ;;
		esac
	done
fi

if [ "$status" -eq 2 ]; then
	# planguard could not decide (or the reports disagree): an error, which blocks.
	untrusted "$errlog"
	# The error itself, not a warning printed before it (nor a workflow marker).
	first="$(grep -m1 '^planguard: error:' "$errlog" || grep -m1 -v -e '^$' -e '^::' "$errlog" || true)"
	echo "::error title=planguard::$(ghesc "${first:-planguard check failed (exit 2)}")"
	if [ -n "${INPUT_ATTEST:-}" ] && [ -e "$INPUT_ATTEST" ]; then
		# No attestation of a decision this action does not stand by.
		rm -f -- "$INPUT_ATTEST"
		echo "planguard action: removed the attestation $(ghesc "$INPUT_ATTEST"): the check ended in an error"
	fi
	{
		echo "### :x: planguard: ERROR (the apply is blocked)"
		echo
		echo '```'
		cat "$errlog"
		echo '```'
	} 2>/dev/null >"$md" || die "cannot write $md"
else
	untrusted "$errlog" >&2 # warnings, if any
fi

# GitHub refuses a step summary over 1 MiB; keep the head of a huge report.
limit=1000000
size="$(wc -c 2>/dev/null <"$md")" || die "cannot read $md"
if [ "$size" -gt "$limit" ]; then
	head -c "$limit" "$md" 2>/dev/null >"$md.head" || die "cannot write $md.head"
	printf '\n\n…report truncated; the full report is %s in the job.\n' "$md" 2>/dev/null >>"$md.head" || die "cannot write $md.head"
	summary 2>/dev/null <"$md.head" || die "cannot read $md.head"
else
	summary 2>/dev/null <"$md" || die "cannot read $md"
fi
echo | summary

out report-json "$json"
out report-markdown "$md"
out decision "$decision"
out exit-code "$status"

case "$decision" in
allow) echo "planguard: decision allow" ;;
block) echo "planguard: decision block: a protected destructive change lacks valid approval (exit 1)" >&2 ;;
*) echo "planguard: decision error: planguard could not decide; this blocks (exit 2)" >&2 ;;
esac

finished=1
if [ "$outputs_ok" != 1 ]; then
	echo "::error title=planguard::cannot write the step outputs to GITHUB_OUTPUT"
	exit 2
fi
if [ "${PLANGUARD_ACTION_DEFER_EXIT:-}" = 1 ] && [ -n "${GITHUB_OUTPUT:-}" ]; then
	exit 0 # the caller fails the job on the exit-code output
fi
exit "$status"
