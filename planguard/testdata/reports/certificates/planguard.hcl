# The policy of TestReportsGolden's certificate fixture: one approval, by a
# plain key and a user certificate (see generate.sh).
scope = "prod"

trust {
  allowed_signers = "allowed_signers"
}

protect "databases" {
  addresses = ["terraform_data.prod_db"]
  approvals = 2
}
