#!/bin/sh
# /usr/local/libexec/planguard-atlantis-apply.sh — owned by root, mode 0755. The Atlantis apply
# step (repos.yaml) runs it as the user tfapply:
#
#   # /etc/sudoers.d/planguard (visudo -f): the atlantis user may run this one script as tfapply
#   atlantis ALL=(tfapply) NOPASSWD: /usr/local/libexec/planguard-atlantis-apply.sh
#
# tfapply alone can read the apply credentials (/etc/planguard/apply/, owned by tfapply, 0700);
# the atlantis user, which runs every pull request's plan-time code, has only a read-only
# identity. Whoever runs this script — Atlantis, or code a pull request slipped onto the server —
# gets the apply credentials only inside `planguard apply`, with the policy, pin, Terraform and
# environment fixed here: sudo resets the environment, and nothing from the caller but the plan
# file's path and the author reaches planguard.
set -eu

[ "$#" -eq 2 ] || { echo "usage: planguard-atlantis-apply.sh PLANFILE PULL_AUTHOR" >&2; exit 2; }
plan=$1
author=$2
[ -n "$author" ] || { echo "planguard-atlantis-apply: no pull request author; nothing applied" >&2; exit 2; }
case "$plan" in
/*) ;;
*) echo "planguard-atlantis-apply: PLANFILE must be an absolute path; nothing applied" >&2; exit 2 ;;
esac
cd "$(dirname -- "$plan")"

export PATH=/usr/local/bin:/usr/bin:/bin
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/etc/planguard/terraformrc
export AWS_CONFIG_FILE=/etc/planguard/apply/aws-config AWS_SHARED_CREDENTIALS_FILE=/etc/planguard/apply/aws-credentials AWS_PROFILE=apply

exec /usr/local/bin/planguard apply --policy /etc/planguard/planguard.hcl \
	--policy-sha256 "$(cat /etc/planguard/planguard.hcl.sha256)" --author "$author" \
	--terraform-bin /usr/local/bin/terraform --audit-log /var/log/planguard/audit.jsonl "$plan"
