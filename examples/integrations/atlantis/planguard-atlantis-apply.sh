#!/bin/sh
# /usr/local/libexec/planguard-atlantis-apply.sh — owned by root, mode 0755. The Atlantis apply
# step (repos.yaml) runs it as the user tfapply:
#
#   # /etc/sudoers.d/planguard (visudo -f): the atlantis user may run this one script as tfapply
#   atlantis ALL=(tfapply) NOPASSWD: /usr/local/libexec/planguard-atlantis-apply.sh
#
# tfapply alone can read the apply credentials and the VCS token (/etc/planguard/apply/, owned
# by tfapply, 0700); the atlantis user, which runs every pull request's plan-time code, has only
# a read-only identity. Any pull request's plan-time code can call this script too, with any
# arguments: so nothing the caller says is believed except which plan file and which pull
# request it names, and neither is enough to apply:
#
# - the plan is copied, as tfapply, out of the atlantis-writable directory into a private one:
#   the bytes verified below are the bytes applied. Only a saved plan: a regular file of at most
#   max_plan_bytes that starts as a zip archive does ("PK\3\4"), checked before the copy and
#   again on the copy. tfapply can read files the caller cannot (the apply credentials, the VCS
#   token); without this, any file would be copied, its SHA-256 printed (verify-plan-approval
#   names the plan's hash) and a copy kept where approvers can read it;
# - the author is the pull request's author as the VCS API reports it (never an argument):
#     GET https://api.github.com/repos/OWNER/REPO/pulls/PULL  →  .user.login  (state must be open)
#   (GitLab: GET /api/v4/projects/:id/merge_requests/:iid → .author.username);
# - the plan must carry a plan approval (`planguard approve-plan`, signed over this plan file's
#   SHA-256 and the policy's scope) by a principal allowed_signers trusts, other than the author.
#   Approvers post it as a pull-request comment holding a fenced block whose info string is
#   planguard-plan-approval; this script reads the comments through the same API:
#     GET https://api.github.com/repos/OWNER/REPO/issues/PULL/comments?per_page=100
#   Who posted a comment does not matter: the signature does. (Only the oldest 100 comments, and
#   in them the first 50 approval blocks, are read: fewer approvals found only blocks, and a
#   busy pull request, whose approval comes after those, cannot be applied; docs/guides/
#   atlantis.md says what to do.) Without one, the script keeps its private copy of
#   the plan in /var/lib/planguard-plans/SHA256.tfplan (tfapply's, readable by the group
#   planguard-approvers only), logs that in /var/log/planguard/kept-plans.log and says so:
#   approvers fetch that file, inspect it and sign it with `planguard approve-plan --plan FILE`,
#   which hashes the file itself (docs/guides/atlantis.md, "The approver's steps");
# - what it keeps is capped, since any caller can hand it plan after plan: at most
#   max_kept_plans files and max_kept_bytes bytes in all in /var/lib/planguard-plans. A kept plan
#   expires after keep_minutes; expired ones are removed before a new one is kept, an unexpired
#   one never is (an approver may be inspecting it). Over the cap the new plan is not kept: the
#   script says so and applies nothing. (It needs flock(1): util-linux, or busybox.)
# - then `planguard apply` runs the gate on the same copy, with the policy, pin, Terraform and
#   environment fixed here (sudo resets the environment), and applies exactly it;
# - one apply at a time, and each plan once: plan-time code can call this script during the real
#   apply, with the same approved plan. An exclusive lock (flock on
#   /var/lib/planguard-apply/apply.lock) is held from before the plan approvals are read until
#   the apply ends, and the SHA-256 of every plan whose apply started is recorded in
#   /var/lib/planguard-apply/applied-plans (tfapply's): the same plan is never applied again.
#   Left (residual): the caller is the real user of the apply's sudo process, so it can
#   interrupt a running apply (SIGTERM or SIGINT, which sudo relays to it); an interrupted plan
#   is not applied again, a new plan is needed;
# - the policy must set lock_file: plan-time code calls this script directly, so Atlantis's
#   `mergeable` guards nothing, and only the reviewed lock file decides which provider builds
#   run as tfapply. A policy without it is refused.
#
# The repository must be one listed in /etc/planguard/repos (root-owned): a pull request in a
# repository the caller made would bring an author and comments the caller chose.
#
# The caller still chooses which pull request (of those repositories) a plan is attributed to. A trusted approver who
# also opens changes could attribute their own plan to someone else's pull request, so that
# their own plan approval counts: where approvers author changes, require two
# (`runner { plan_approvals = 2 }` in the policy).
set -eu

usage="usage: planguard-atlantis-apply.sh PLANFILE OWNER/REPO PULL_NUMBER"
[ "$#" -eq 3 ] || { echo "$usage" >&2; exit 2; }
plan=$1
repo=$2
pull=$3
case "$plan" in
/*) ;;
*) echo "planguard-atlantis-apply: PLANFILE must be an absolute path; nothing applied" >&2; exit 2 ;;
esac
case "$repo" in
*/*/* | /* | */ | *[!A-Za-z0-9_./-]*) echo "planguard-atlantis-apply: '$repo' is not OWNER/REPO; nothing applied" >&2; exit 2 ;;
*/*) ;;
*) echo "planguard-atlantis-apply: '$repo' is not OWNER/REPO; nothing applied" >&2; exit 2 ;;
esac
case "$pull" in
'' | *[!0-9]*) echo "planguard-atlantis-apply: PULL_NUMBER '$pull' is not a number; nothing applied" >&2; exit 2 ;;
esac

export PATH=/usr/local/bin:/usr/bin:/bin
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/etc/planguard/terraformrc
export AWS_CONFIG_FILE=/etc/planguard/apply/aws-config AWS_SHARED_CREDENTIALS_FILE=/etc/planguard/apply/aws-credentials AWS_PROFILE=apply
umask 077
# Only a repository this server serves (/etc/planguard/repos, root-owned, one OWNER/REPO a line):
# else the caller could attribute a plan to a pull request in a repository of its own, with an
# author (an account of theirs) and comments it chose.
grep -qxF -e "$repo" /etc/planguard/repos ||
	{ echo "planguard-atlantis-apply: '$repo' is not a repository this server applies (/etc/planguard/repos); nothing applied" >&2; exit 2; }
api=https://api.github.com
max_plan_bytes=536870912 # 512 MiB; a saved plan holds the state too: raise it if yours is larger
keep_dir=/var/lib/planguard-plans # unapproved plans kept for approvers
max_kept_plans=20                 # at most this many kept plans ...
max_kept_bytes=4294967296         # ... and 4 GiB in all: a caller cannot fill the disk
keep_minutes=1440                 # a kept plan expires after a day
policy=/etc/planguard/planguard.hcl
pin="$(cat /etc/planguard/planguard.hcl.sha256)"
state=/var/lib/planguard-apply # tfapply's, mode 0700: the apply lock and the applied plans
lock_wait_seconds=3600         # how long an apply waits for another one to end
# Which provider builds run as tfapply is decided by the policy's lock_file alone (a top-level
# `lock_file = "FILE"` line): without it, the plan's own lock file, the author's, would decide.
grep -Eq '^[[:space:]]*lock_file[[:space:]]*=' "$policy" ||
	{ echo "planguard-atlantis-apply: the policy $policy has no lock_file, so the plan's own lock file (its author's) would choose which providers run as tfapply; add lock_file = \"FILE\" with a reviewed .terraform.lock.hcl (docs/guides/policy.md, \"Pinning provider binaries\"); nothing applied" >&2; exit 2; }

# A private directory, owned by tfapply (/var/lib/planguard-apply: tfapply's, mode 0700).
work="$(mktemp -d "$state/run.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT
# A saved plan, or nothing is copied: a regular file, not too large, a zip archive.
saved_plan() {
	[ -f "$1" ] && [ ! -L "$1" ] && [ "$(wc -c <"$1")" -le "$max_plan_bytes" ] &&
		[ "$(head -c 4 <"$1" | od -An -tx1 | tr -d ' \n')" = 504b0304 ]
}
saved_plan "$plan" || { echo "planguard-atlantis-apply: $plan is not a saved plan (a regular zip file of at most $max_plan_bytes bytes); nothing applied" >&2; exit 2; }
# The file can be swapped between that check and the copy (it is the caller's): copy at most one
# byte more than the bound, and check the copy, the bytes everything below uses, again.
head -c "$((max_plan_bytes + 1))" <"$plan" >"$work/tfplan"
saved_plan "$work/tfplan" || { echo "planguard-atlantis-apply: $plan changed into something that is not a saved plan while it was copied; nothing applied" >&2; exit 2; }
sum="$(sha256sum -- "$work/tfplan" | cut -d' ' -f1)"

# One verify-and-apply at a time (plan-time code can call this script while the real apply of the
# same plan runs), and each plan once: the lock is held until this script exits. fd 8 has no
# close-on-exec, so the programs run below get `8>&-`: else planguard, Terraform and any
# provisioner would inherit the lock, and a process one of them leaves behind would hold it and
# stall every later apply.
exec 8>>"$state/apply.lock" && flock -w "$lock_wait_seconds" 8 ||
	{ echo "planguard-atlantis-apply: another apply held $state/apply.lock for $lock_wait_seconds seconds; nothing applied, try again" >&2; exit 2; }
if grep -q "^$sum " "$state/applied-plans" 2>/dev/null; then
	echo "planguard-atlantis-apply: the plan with SHA-256 $sum was applied (or its apply started) before: $(grep "^$sum " "$state/applied-plans" | head -n 1); a plan is applied once: plan again; nothing applied" >&2
	exit 2
fi

# The VCS token goes to curl in a header file, never on a command line (ps shows those).
printf 'Authorization: Bearer %s\n' "$(cat /etc/planguard/apply/vcs-token)" >"$work/auth"
vcs() {
	curl --fail --silent --show-error --proto =https --max-time 30 -H @"$work/auth" -H 'Accept: application/vnd.github+json' "$api/repos/$repo/$1" 8>&-
}

# The author, from the VCS: the open pull request's author, or nothing is applied.
vcs "pulls/$pull" >"$work/pull.json" ||
	{ echo "planguard-atlantis-apply: cannot read pull request $repo#$pull from the VCS API; nothing applied" >&2; exit 2; }
author="$(jq -r 'if .state == "open" and (.user.login | type) == "string" then .user.login else empty end' <"$work/pull.json" 8>&-)" ||
	{ echo "planguard-atlantis-apply: cannot read pull request $repo#$pull from the VCS API; nothing applied" >&2; exit 2; }
[ -n "$author" ] || { echo "planguard-atlantis-apply: pull request $repo#$pull is not open or has no author; nothing applied" >&2; exit 2; }

# The plan approvals, from the pull request's comments.
vcs "issues/$pull/comments?per_page=100" >"$work/comments.json" ||
	{ echo "planguard-atlantis-apply: cannot read the comments of $repo#$pull; nothing applied" >&2; exit 2; }
jq -c '.[] | (.body // "") | scan("```planguard-plan-approval[ \\t]*\\r?\\n([^`]*)```") | .[0] | (try fromjson catch empty) | select(type == "object")' \
	<"$work/comments.json" 8>&- | head -n 50 >"$work/approvals.jsonl"
set --
n=0
while IFS= read -r line; do
	n=$((n + 1))
	printf '%s\n' "$line" >"$work/approval.$n.json"
	set -- "$@" --approval "$work/approval.$n.json"
done <"$work/approvals.jsonl"

# Plan approvals first (exit 1: too few, with the approve-plan command for this plan), then the
# gate and the apply, both on the private copy. The file at PLANFILE is whatever any pull
# request's plan-time code left there: approvers sign only a plan file they copied and inspected
# themselves (docs/guides/atlantis.md), never a hash read in a comment.
status=0
/usr/local/bin/planguard verify-plan-approval --plan "$work/tfplan" --policy "$policy" \
	--policy-sha256 "$pin" --author "$author" "$@" 8>&- || status=$?
if [ "$status" -eq 1 ]; then
	# Too few: keep this very copy, the bytes the next apply checks, where approvers can fetch it
	# and the atlantis user can neither write nor read it ($keep_dir: tfapply's, group
	# planguard-approvers, mode 2750; a plan holds state and variable values). The approver
	# copies it off the server, inspects it in a sandbox without their key, and signs that file
	# with `planguard approve-plan --plan`, which computes its SHA-256 itself.
	keep="$keep_dir/$sum.tfplan"
	# One caller at a time decides what is kept (a lock on the directory itself).
	exec 9<"$keep_dir" && flock -w 60 9 ||
		{ echo "planguard-atlantis-apply: cannot lock $keep_dir; nothing applied" >&2; exit 2; }
	# Expired plans go first; an unexpired one is never removed to make room.
	find "$keep_dir" -maxdepth 1 -type f -name '*.tfplan' -mmin +"$keep_minutes" -exec rm -f -- {} + ||
		{ echo "planguard-atlantis-apply: cannot remove expired plans from $keep_dir; nothing applied" >&2; exit 2; }
	if [ ! -f "$keep" ]; then
		kept=0
		bytes="$(wc -c <"$work/tfplan")"
		for f in "$keep_dir"/*; do
			[ -e "$f" ] || continue
			kept=$((kept + 1))
			[ ! -f "$f" ] || bytes=$((bytes + $(wc -c <"$f")))
		done
		if [ "$kept" -ge "$max_kept_plans" ] || [ "$bytes" -gt "$max_kept_bytes" ]; then
			echo "planguard-atlantis-apply: this plan is not kept for approvers: $keep_dir holds $kept unexpired plans, $bytes bytes with this one (at most $max_kept_plans plans and $max_kept_bytes bytes); kept plans expire after $keep_minutes minutes, or an administrator removes them; nothing applied" >&2
			exit 2
		fi
		cp -- "$work/tfplan" "$keep" && chmod 0640 -- "$keep" ||
			{ rm -f -- "$keep"; echo "planguard-atlantis-apply: cannot keep the plan for approvers in $keep; nothing applied" >&2; exit 2; }
		# The wrapper's own record, for approvers: which pull request (the caller's word) and which
		# author (the VCS's) a kept plan came with. The hash is the file's, computed here.
		printf '%s %s#%s author=%s sha256=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$repo" "$pull" "$author" "$sum" >>/var/log/planguard/kept-plans.log &&
			chmod 0640 -- /var/log/planguard/kept-plans.log ||
			{ echo "planguard-atlantis-apply: cannot log the kept plan in /var/log/planguard/kept-plans.log; nothing applied" >&2; exit 2; }
	fi
	echo "planguard-atlantis-apply: no plan approval yet; this plan, SHA-256 $sum, is kept as $keep (a kept plan expires $keep_minutes minutes after it was first kept)." >&2
	echo "To approve it, copy $keep off this server, check that sha256sum prints $sum, inspect it where your key is not (terraform show, planguard check), then sign that file:" >&2
	echo "  planguard approve-plan --plan $sum.tfplan --scope SCOPE --key KEY --principal YOU --expires 1h --out plan-approval.json" >&2
	echo "and post plan-approval.json in a planguard-plan-approval block on $repo#$pull" >&2
fi
[ "$status" -eq 0 ] || { echo "planguard-atlantis-apply: no plan approval by a trusted principal other than $author; nothing applied" >&2; exit "$status"; }

# Recorded before the apply starts: an apply that fails or is interrupted midway is not repeated
# with the same plan either (plan again).
printf '%s %s %s#%s author=%s\n' "$sum" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$repo" "$pull" "$author" >>"$state/applied-plans" ||
	{ echo "planguard-atlantis-apply: cannot record the plan in $state/applied-plans; nothing applied" >&2; exit 2; }
cd "$work"
/usr/local/bin/planguard apply --policy "$policy" --policy-sha256 "$pin" --author "$author" \
	--terraform-bin /usr/local/bin/terraform --audit-log /var/log/planguard/audit.jsonl "$work/tfplan" 8>&- || status=$?
exit "$status"
