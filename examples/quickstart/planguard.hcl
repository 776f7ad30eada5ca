# The policy CI uses for this example. In a real setup it lives where the
# agent cannot write (a protected path, CODEOWNERS, a CI secret).
scope = "prod"

trust {
  allowed_signers = "allowed_signers"
}

# By address, and by id: the id rule follows the database into any state a
# change might point the backend at. terraform_data's id is a UUID Terraform
# assigns at apply: this is the one in plan.json ('planguard protected plan.json'
# lists them; generate.sh makes new ones).
protect "databases" {
  addresses = ["terraform_data.prod_db"]
  ids       = ["f215f4d7-beec-5db2-de5f-d707799a4f7c"]
  actions   = ["delete", "replace", "forget"]
  approvals = 1
  max_ttl   = "72h"
}

protect "backups" {
  addresses        = ["terraform_data.prod_db_backup"]
  ids              = ["552b005b-79ca-0ee0-8f65-d14b4cda293f"]
  actions          = ["delete", "replace", "forget"]
  approvals        = 2
  require_identity = true
}
