# The gate's policy. CI reads it from a path the agent cannot write.
scope = "prod"

trust {
  # Written by demo.sh from the approvers' public keys.
  allowed_signers = "allowed_signers"
}

protect "database" {
  addresses        = ["terraform_data.prod_db"]
  actions          = ["delete", "replace", "forget"]
  approvals        = 1
  require_identity = true
  max_ttl          = "72h"
}

# Losing the backup is what made the incident unrecoverable: two people must agree.
protect "backups" {
  addresses        = ["terraform_data.*backup*"]
  actions          = ["delete", "replace", "forget"]
  approvals        = 2
  require_identity = true
  max_ttl          = "72h"
}
