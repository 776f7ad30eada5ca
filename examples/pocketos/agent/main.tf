# The coding agent's "cleanup": asked to fix a staging credential mismatch,
# it decided the production database and its backup were in the way, and
# removed both. A plan of this configuration deletes them.
terraform {
  required_providers {
    planguard = {
      source = "planguard/planguard"
    }
  }
}
