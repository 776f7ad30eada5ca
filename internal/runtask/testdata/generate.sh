#!/usr/bin/env bash
# Regenerates the run task fixtures with real Terraform and this module's
# provider and CLI (nothing hand-edited): the pocketos story's plan that
# deletes the database and its backup, blocked.json; the same plan after
# alice approved both deletes (and what they may run) and bob co-signed
# the backup's, approved.json (valid
# at 2026-11-25T12:00:00Z, the time the golden tests use); the approvers'
# public keys in allowed_signers (the private keys are discarded).
# Usage: internal/runtask/testdata/generate.sh [TERRAFORM_BINARY]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tf="${1:-${TERRAFORM_BIN:-terraform}}"
now="2026-11-25T12:00:00Z"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/infra" "$work/keys"
(cd "$root" && go build -trimpath -o "$work/bin/planguard" ./planguard && go build -trimpath -o "$work/bin/terraform-provider-planguard" .)
pg="$work/bin/planguard"
cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "planguard/planguard" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 NO_COLOR=1
: > "$here/allowed_signers"
for who in alice bob; do
	ssh-keygen -q -t ed25519 -N "" -C "$who" -f "$work/keys/$who"
	printf '%s@example.com namespaces="planguard-approval" %s\n' "$who" "$(cat "$work/keys/$who.pub")" >> "$here/allowed_signers"
done
cp "$root/examples/pocketos/planguard.hcl" "$here/planguard.hcl"
cd "$work/infra"
cp "$root/examples/pocketos/infra/main.tf" main.tf
"$tf" apply -input=false -auto-approve >/dev/null
cp "$root/examples/pocketos/agent/main.tf" main.tf
"$tf" plan -input=false -out=tfplan >/dev/null
"$tf" show -json tfplan > "$here/blocked.json"
# The plan JSON (all a run task sees) cannot show a removed block's
# destroy-time provisioners, so the gate also wants the approvers to approve
# what the deletes may run; approve reads the same JSON.
for action in delete provision; do
	for target in terraform_data.prod_db terraform_data.prod_db_volume_backup; do
		"$pg" approve --policy "$here/planguard.hcl" --plan "$here/blocked.json" --target "$target" --action "$action" --reason "INC-2026-04: retire the legacy stack" \
			--now "$now" --expires 24h --key "$work/keys/alice" --principal alice@example.com --out approvals.tf
	done
	"$pg" sign --file approvals.tf --name "${action}_terraform_data_prod_db_volume_backup" --principal bob@example.com --key "$work/keys/bob"
done
"$tf" plan -input=false -out=tfplan >/dev/null
"$tf" show -json tfplan > "$here/approved.json"
"$pg" check --policy "$here/planguard.hcl" --now "$now" "$here/approved.json" >/dev/null
echo "wrote blocked.json and approved.json with $("$tf" version | head -n1)"
