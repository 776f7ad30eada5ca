# The policy of TestReportsGolden: every managed resource guarded, with
# provisioners and actions judged; the trust file is the quickstart's.
scope = "prod"

trust {
  allowed_signers = "../../../examples/quickstart/allowed_signers"
}

protect "everything" {
  types      = ["*"]
  actions    = ["delete", "replace", "forget", "update"]
  attributes = ["input", "triggers_replace", "deletion_protection"]
}
