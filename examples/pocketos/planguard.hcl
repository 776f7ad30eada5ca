# The gate's policy. CI reads it from a path the agent cannot write.
scope = "prod"

trust {
  # Written by demo.sh from the approvers' public keys.
  allowed_signers = "allowed_signers"
}

# The state the apply writes: a saved plan records its backend, and the change's
# author writes the backend block. Pinned, a plan against any other state (a
# fresh file, another path, another workspace) is refused, and planguard reads
# this state itself to compare it with the plan's. This demo uses the local
# backend with no backend block: terraform.tfstate in the directory planguard
# runs in (check and apply resolve it the same way). A real setup pins its
# remote backend, e.g.
#   state {
#     backend = "s3"
#     config  = { bucket = "acme-tf", key = "prod/terraform.tfstate", region = "eu-west-1" }
#   }
state {
  backend = "local"
}

# The providers a plan may use: a plan naming any other (hashicorp/external, a
# fork under another namespace) is refused before any provider starts.
# planguard apply refuses a policy with neither this list nor lock_file (a
# reviewed .terraform.lock.hcl, which pins the builds too: a real setup sets it).
providers = [
  "terraform.io/builtin/terraform",
  "registry.terraform.io/planguard/planguard",
  "registry.opentofu.org/planguard/planguard",
]

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
