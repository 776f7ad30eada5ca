# Approves deleting the legacy database in scope "prod" until March 2027.
# alice signed the approval's payload with her SSH key:
#
#   planguard payload --file approvals.tf --name retire_legacy_db > payload
#   ssh-keygen -Y sign -n planguard-approval -f ~/.ssh/id_ed25519 payload
#
# and committed payload.sig as approvals/retire_legacy_db.alice.sig.
resource "planguard_approval" "retire_legacy_db" {
  scope      = "prod"
  target     = "module.data.aws_db_instance.legacy"
  action     = "delete"
  reason     = "CHG-1042: legacy database retired after migration"
  expires_at = "2027-03-01T00:00:00Z"
  identity   = "legacy-db-1"
  signatures = [
    { principal = "alice@example.com", signature = file("approvals/retire_legacy_db.alice.sig") },
  ]
}
