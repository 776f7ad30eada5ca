#!/usr/bin/env bash
# The incident, replayed with a gate in the way (make demo).
#
# Real Terraform (or OpenTofu: TERRAFORM=tofu-binary) with this provider
# through dev_overrides, in a scratch directory:
#   1. production stands: a database and its volume backup;
#   2. an agent removes both from the configuration and plans;
#   3. planguard check blocks, printing the approve commands;
#   4. two approvers sign (planguard approve, planguard sign, and plain
#      ssh-keygen -Y sign over planguard payload);
#   5. plan again: planguard apply checks, allows and applies that very plan;
#   6. the state records the approvals.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tf="${TERRAFORM:-${TERRAFORM_BIN:-$HOME/.cache/planguard/bin/terraform}}"
work="${DEMO_DIR:-$(mktemp -d)}"
[ -n "${DEMO_DIR:-}" ] || trap 'rm -rf "$work"' EXIT

bold=$(tput bold 2>/dev/null || true); reset=$(tput sgr0 2>/dev/null || true)
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$reset"; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$reset" >&2; "$@"; }

step "Build planguard and the provider"
mkdir -p "$work/bin" "$work/keys" "$work/infra"
(cd "$root" && go build -o "$work/bin/terraform-provider-planguard" . && go build -o "$work/bin/planguard" ./planguard)
export PATH="$work/bin:$PATH" PLANGUARD_TERRAFORM="$tf" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export TF_CLI_CONFIG_FILE="$work/terraformrc"
cat > "$TF_CLI_CONFIG_FILE" <<CFG
provider_installation {
  dev_overrides {
    "planguard/planguard" = "$work/bin"
  }
  direct {}
}
CFG
echo "terraform: $("$tf" version | head -n1); provider via dev_overrides from $work/bin"

step "Two approvers make keys; CI's trust file lists them (the agent cannot write it)"
for who in alice bob; do
	ssh-keygen -q -t ed25519 -N "" -C "$who@example.com" -f "$work/keys/$who"
	echo "$who@example.com namespaces=\"planguard-approval\" $(cut -d' ' -f1,2 "$work/keys/$who.pub")"
done > "$work/allowed_signers"
cp "$here/planguard.hcl" "$work/planguard.hcl"
cat "$work/allowed_signers"

cd "$work/infra"
step "Production stands: apply the database and its backup"
cp "$here/infra/main.tf" main.tf
show "$tf" apply -input=false -auto-approve -no-color | tail -n 3

step "The agent removes both from the configuration and plans"
cp "$here/agent/main.tf" main.tf
show "$tf" plan -input=false -no-color -out=tfplan | grep -E '^  # |^Plan:'

step "planguard check: the gate blocks (exit 1)"
export PLANGUARD_AUTHOR="agent@example.com"
set +e
show planguard check --policy ../planguard.hcl tfplan
status=$?
set -e
[ "$status" -eq 1 ] || { echo "expected exit 1 (blocked), got $status" >&2; exit 1; }

step "alice approves both deletions (planguard approve, identity bound from the plan)"
for target in terraform_data.prod_db terraform_data.prod_db_volume_backup; do
	show planguard approve --policy ../planguard.hcl --plan tfplan --target "$target" \
		--reason "INC-2026-04: retire the legacy production stack, confirmed with the customer" \
		--expires 24h --key ../keys/alice --principal alice@example.com --out approvals.tf
done

step "bob co-signs the backup's deletion with plain ssh-keygen over planguard payload"
show planguard payload --file approvals.tf --target terraform_data.prod_db_volume_backup > ../payload
echo; echo "(payload: $(wc -c < ../payload) bytes of canonical JSON)"
show ssh-keygen -Y sign -n planguard-approval -f ../keys/bob ../payload
show planguard sign --policy ../planguard.hcl --file approvals.tf --target terraform_data.prod_db_volume_backup \
	--principal bob@example.com --signature ../payload.sig

step "bob also co-signs the database's deletion with planguard sign"
show planguard sign --policy ../planguard.hcl --file approvals.tf --target terraform_data.prod_db --principal bob@example.com --key ../keys/bob

step "The approvals, as committed"
cat approvals.tf | sed -e '/BEGIN SSH SIGNATURE/,/END SSH SIGNATURE/{/BEGIN\|END/!d}' | head -n 40
show planguard verify --policy ../planguard.hcl approvals.tf

step "Plan again, now with the approvals; planguard apply checks and applies that very plan"
show "$tf" plan -input=false -no-color -out=tfplan | grep -E '^  # |^Plan:'
show planguard apply --policy ../planguard.hcl --audit-log ../audit.jsonl tfplan -- -no-color

step "The state records the approvals; the database is gone only after the quorum signed"
show "$tf" state list
show "$tf" state show -no-color planguard_approval.delete_terraform_data_prod_db_volume_backup | grep -E 'target|action|principal|id '
step "The audit log"
cat ../audit.jsonl
