#!/usr/bin/env bash
# Regenerates this example's signature (approvals/) and trust file (policy/)
# with the real ssh-keygen and a throwaway key, which is then deleted. Run it
# after changing the approval in resource.tf, and update PAYLOAD to match:
# provider/examples_test.go fails until the signature verifies again.
set -euo pipefail
cd "$(dirname "$0")"

# The payload of planguard_approval.retire_legacy_db in resource.tf, byte for
# byte: canonical JSON, members sorted by name, no white space, no newline.
PAYLOAD='{"action":"delete","expires_at":"2027-03-01T00:00:00Z","identity":"legacy-db-1","reason":"CHG-1042: legacy database retired after migration","scope":"prod","target":"module.data.aws_db_instance.legacy","type":"planguard.approval/v1"}'

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

ssh-keygen -q -t ed25519 -N '' -C 'alice@example.com (planguard example key)' -f "$tmp/alice"
printf '%s' "$PAYLOAD" >"$tmp/payload"
ssh-keygen -q -Y sign -n planguard-approval -f "$tmp/alice" "$tmp/payload"

mkdir -p approvals policy
cp "$tmp/payload.sig" approvals/retire_legacy_db.alice.sig
{
	echo '# Example trust file: alice may sign planguard approvals.'
	echo "alice@example.com namespaces=\"planguard-approval\" $(cut -d' ' -f1,2 "$tmp/alice.pub")"
} >policy/allowed_signers

ssh-keygen -Y verify -f policy/allowed_signers -I alice@example.com -n planguard-approval \
	-s approvals/retire_legacy_db.alice.sig <"$tmp/payload"
