#!/usr/bin/env bash
# Regenerates the certificate fixture of TestReportsGolden with real
# Terraform and this provider: a plan that deletes terraform_data.prod_db,
# with an approval signed by alice's plain key and by bob's OpenSSH user
# certificate (ssh-keygen -s), and the trust file whose cert-authority line
# trusts bob's CA. Writes plan.json and allowed_signers here; the private
# keys are discarded. Then: go test ./planguard -run TestReportsGolden -update
# Usage: planguard/testdata/reports/certificates/generate.sh [TERRAFORM_BINARY]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
tf="${1:-${TERRAFORM_BIN:-$HOME/.cache/planguard/bin/terraform}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/bin/terraform-provider-planguard" . && go build -o "$work/bin/planguard" ./planguard)
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE="$work/terraformrc"
printf 'provider_installation {\n  dev_overrides {\n    "planguard/planguard" = "%s"\n  }\n  direct {}\n}\n' "$work/bin" > "$TF_CLI_CONFIG_FILE"
pg="$work/bin/planguard"
now=2026-11-25T00:00:00Z

for k in ca alice bob; do ssh-keygen -q -t ed25519 -N '' -C "$k" -f "$work/$k"; done
ssh-keygen -q -s "$work/ca" -I bob-laptop -z 43 -n bob@example.com -V 20261101Z:20270101Z "$work/bob.pub"
{
	echo "# alice signs with a plain key, bob with a user certificate from the CA below."
	echo "alice@example.com namespaces=\"planguard-approval\" $(cat "$work/alice.pub")"
	echo "*@example.com cert-authority,namespaces=\"planguard-approval\" $(cat "$work/ca.pub")"
} > "$here/allowed_signers"

mkdir "$work/tf"
cd "$work/tf"
provider='terraform {
  required_providers {
    planguard = {
      source = "planguard/planguard"
    }
  }
}
'
printf '%sresource "terraform_data" "prod_db" {\n  input = "postgres"\n}\n' "$provider" > main.tf
"$tf" apply -input=false -auto-approve >/dev/null
printf '%s' "$provider" > main.tf
"$tf" plan -input=false -out=tfplan >/dev/null
"$pg" approve --policy "$here/planguard.hcl" --plan tfplan --target terraform_data.prod_db --reason 'CHG-2020: retire' \
	--now "$now" --expires 72h --key "$work/alice" --principal alice@example.com --out approvals.tf --name prod_db --yes 2>/dev/null
"$pg" sign --policy "$here/planguard.hcl" --file approvals.tf --name prod_db --now "$now" \
	--key "$work/bob-cert.pub" --principal bob@example.com --yes 2>/dev/null
"$tf" plan -input=false -out=tfplan >/dev/null
"$tf" show -json tfplan > "$here/plan.json"
echo "wrote $here/plan.json with $("$tf" version | head -n1)"
