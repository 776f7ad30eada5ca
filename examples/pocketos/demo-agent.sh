#!/usr/bin/env bash
# The incident in the agent's own shell (make demo-agent): the agent's
# tool calls pass through `planguard hook`, installed as Claude Code's
# PreToolUse hook. Each call below is the event Claude Code would send; the
# hook answers as it would to Claude Code, and the command runs only when
# the hook allows it (no output, exit 0).
#   1. production stands; the hook is installed (planguard hook install);
#   2. the agent tries terraform destroy -auto-approve: refused;
#   3. it tries terraform apply -auto-approve: refused;
#   4. it plans (allowed) and tries terraform apply tfplan: the gate blocks it;
#   5. it tries to sign the approval itself: refused;
#   6. two people sign; the agent plans again; terraform apply of the saved
#      plan is still refused (terraform would read the file after the hook
#      answered); planguard apply, which pins, checks and applies that very
#      plan, is allowed.
# The real clients (Claude Code, Copilot CLI, Gemini CLI) are driven through
# the same story by the end-to-end tests (e2e/agents_test.go).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tf="${TERRAFORM:-${TERRAFORM_BIN:-$HOME/.cache/planguard/bin/terraform}}"
work="${DEMO_DIR:-$(mktemp -d)}"
[ -n "${DEMO_DIR:-}" ] || trap 'rm -rf "$work"' EXIT

bold=$(tput bold 2>/dev/null || true); reset=$(tput sgr0 2>/dev/null || true)
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$reset"; }
show() { printf '%s$ %s%s\n' "$bold" "$*" "$reset" >&2; "$@"; }

# agent CMD: the agent's Bash tool call, through the hook. Returns 0 when
# the command was allowed and ran, 1 when the hook refused it.
agent() {
	local cmd="$1" out status
	printf '%sagent wants to run: %s%s\n' "$bold" "$cmd" "$reset" >&2
	event=$(printf '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"%s"},"cwd":"%s"}' "$cmd" "$PWD")
	set +e
	out=$(printf '%s' "$event" | planguard hook --agent claude --policy "$work/planguard.hcl" 2>/dev/null)
	status=$?
	set -e
	if [ "$status" -eq 0 ] && [ -z "$out" ]; then
		echo "hook: (no output, exit 0) — allowed; Claude Code's own permission flow goes on" >&2
		bash -c "$cmd"
		return 0
	fi
	echo "hook: exit $status, answer:"
	echo "$out" | sed -e 's/^/  /'
	return 1
}

step "Build planguard and the provider"
mkdir -p "$work/bin" "$work/keys" "$work/infra"
(cd "$root" && go build -o "$work/bin/terraform-provider-planguard" . && go build -o "$work/bin/planguard" ./planguard)
export PATH="$work/bin:$(dirname "$tf"):$PATH" PLANGUARD_TERRAFORM="$tf" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export TF_CLI_CONFIG_FILE="$work/terraformrc"
cat > "$TF_CLI_CONFIG_FILE" <<CFG
provider_installation {
  dev_overrides {
    "planguard/planguard" = "$work/bin"
  }
  direct {}
}
CFG
# The agent's commands say "terraform": make that the demo's terraform.
[ "$(basename "$tf")" = terraform ] || ln -sf "$tf" "$work/bin/terraform"

step "Two approvers' keys; the trust file and policy live outside the agent's project"
for who in alice bob; do
	ssh-keygen -q -t ed25519 -N "" -C "$who@example.com" -f "$work/keys/$who"
	echo "$who@example.com namespaces=\"planguard-approval\" $(cut -d' ' -f1,2 "$work/keys/$who.pub")"
done > "$work/allowed_signers"
cp "$here/planguard.hcl" "$work/planguard.hcl"

cd "$work/infra"
step "Production stands"
cp "$here/infra/main.tf" main.tf
terraform plan -input=false -no-color -out=tfplan > /dev/null
planguard apply --policy ../planguard.hcl tfplan -- -no-color | tail -n 1

step "Install the hook for Claude Code (managed scope is where the agent cannot edit it)"
show planguard hook install --agent claude --scope project --policy ../planguard.hcl
cat .claude/settings.json

step "The agent removes the database and its backup from the configuration"
cp "$here/agent/main.tf" main.tf

step "It tries to delete them directly: refused"
if agent "terraform destroy -auto-approve"; then echo "expected a refusal" >&2; exit 1; fi
if agent "cd . && TF_LOG=off bash -c 'terr\\\"a\\\"form apply -auto-approve'"; then echo "expected a refusal" >&2; exit 1; fi

step "It plans (allowed), then applies the saved plan: the gate blocks it"
agent "terraform plan -input=false -no-color -out=tfplan > /dev/null"
if agent "terraform apply -input=false -no-color tfplan"; then echo "expected a refusal" >&2; exit 1; fi

step "It tries to sign the approval itself: refused (a person signs)"
if agent "planguard approve --policy ../planguard.hcl --plan tfplan --target terraform_data.prod_db --key ../keys/alice --principal alice@example.com --out approvals.tf"; then
	echo "expected a refusal" >&2; exit 1
fi

step "The people sign: alice approves both deletions, bob co-signs the backup's"
for target in terraform_data.prod_db terraform_data.prod_db_volume_backup; do
	planguard approve --policy ../planguard.hcl --plan tfplan --target "$target" \
		--reason "INC-2026-04: retire the legacy production stack, confirmed with the customer" \
		--expires 24h --key ../keys/alice --principal alice@example.com --out approvals.tf 2>&1 | tail -n 1
done
planguard sign --policy ../planguard.hcl --file approvals.tf --target terraform_data.prod_db_volume_backup --principal bob@example.com --key ../keys/bob 2>&1 | tail -n 1

step "The agent plans again; terraform apply of the file is still refused, planguard apply is allowed"
agent "terraform plan -input=false -no-color -out=tfplan > /dev/null"
if agent "terraform apply -input=false -no-color tfplan"; then echo "expected a refusal" >&2; exit 1; fi
agent "$work/bin/planguard apply --policy $work/planguard.hcl tfplan -- -no-color" | tail -n 3
show terraform state list
