#!/usr/bin/env bash
# Regenerates plan.json with real Terraform: apply config/base.tf, then plan
# config/next.tf (the agent's change) and save `terraform show -json`.
# Usage: examples/quickstart/generate.sh [TERRAFORM_BINARY]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tf="${1:-${TERRAFORM_BIN:-$HOME/.cache/planguard/bin/terraform}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE="$work/terraformrc"
: > "$TF_CLI_CONFIG_FILE"
cp "$here/config/base.tf" "$work/main.tf"
(cd "$work" && "$tf" init -input=false >/dev/null && "$tf" apply -input=false -auto-approve >/dev/null)
cp "$here/config/next.tf" "$work/main.tf"
(cd "$work" && "$tf" plan -input=false -out=tfplan >/dev/null && "$tf" show -json tfplan > "$here/plan.json")
echo "wrote $here/plan.json with $("$tf" version | head -n1)"
