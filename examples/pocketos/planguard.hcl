# The gate's policy. CI reads it from a path the agent cannot write.
scope = "prod"

trust {
  # Written by demo.sh from the approvers' public keys.
  allowed_signers = "allowed_signers"
}

# By address, and by id once it exists: an ids rule follows the database into
# any state a change points the backend at. terraform_data's id is a UUID
# assigned at the first apply; 'planguard protected' on the state shows it:
#   ids = ["<prod_db's id>"]
# (a real database names its stable identifier, e.g.
#   ids = ["arn:aws:rds:eu-west-1:123456789012:db:prod-main"]).
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
