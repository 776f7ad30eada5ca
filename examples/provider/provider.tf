terraform {
  required_providers {
    planguard = {
      source = "planguard/planguard"
    }
  }
}

# Optional: give the provider the scope and the allowed_signers file of the
# gate's policy, and `terraform plan` warns early about approvals the gate
# would not count. The gate never reads this block: it trusts only its own
# policy, kept where the authors of this configuration cannot write.
provider "planguard" {
  scope           = "prod"
  allowed_signers = file("policy/allowed_signers")
}
