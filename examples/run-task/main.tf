# Registers `planguard serve` as a run task of an HCP Terraform (or
# Terraform Enterprise) organization and makes it mandatory, after the plan,
# in one workspace. Apply it from a workspace (or a machine) whose token can
# manage the organization's run tasks; see docs/guides/terraform-cloud.md.

terraform {
  required_providers {
    tfe = {
      source  = "hashicorp/tfe"
      version = ">= 0.55.0"
    }
  }
}

variable "organization" {
  type        = string
  description = "The HCP Terraform organization."
}

variable "workspace" {
  type        = string
  description = "The workspace whose runs the gate checks."
}

variable "planguard_url" {
  type        = string
  description = "Where HCP Terraform reaches the service: https://HOST/run-task (planguard serve)."
}

variable "hmac_key" {
  type        = string
  sensitive   = true
  description = "The HMAC key the service verifies requests with (its --hmac-key-file or $PLANGUARD_HMAC_KEY)."
}

resource "tfe_organization_run_task" "planguard" {
  organization = var.organization
  name         = "planguard"
  url          = var.planguard_url
  hmac_key     = var.hmac_key
  enabled      = true
  description  = "Blocks deletes and replacements of protected resources unless enough trusted people signed an approval."
}

data "tfe_workspace" "target" {
  organization = var.organization
  name         = var.workspace
}

resource "tfe_workspace_run_task" "planguard" {
  workspace_id      = data.tfe_workspace.target.id
  task_id           = tfe_organization_run_task.planguard.id
  enforcement_level = "mandatory" # a failed check stops the run
  stage             = "post_plan" # the gate reads the plan; pre_apply works too
}
