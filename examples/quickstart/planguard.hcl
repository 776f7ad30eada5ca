# The policy CI uses for this example. In a real setup it lives where the
# agent cannot write (a protected path, CODEOWNERS, a CI secret).
scope = "prod"

trust {
  allowed_signers = "allowed_signers"
}

protect "databases" {
  addresses = ["terraform_data.prod_db"]
  actions   = ["delete", "replace", "forget"]
  approvals = 1
  max_ttl   = "72h"
}

protect "backups" {
  addresses        = ["terraform_data.prod_db_backup"]
  actions          = ["delete", "replace", "forget"]
  approvals        = 2
  require_identity = true
}
