# PocketOS production, as it stood: a database and the volume backup that
# would restore it. terraform_data stands in for the real resources.
terraform {
  required_providers {
    planguard = {
      source = "planguard/planguard"
    }
  }
}

resource "terraform_data" "prod_db" {
  input = {
    engine = "postgres-16"
    size   = "db.r6g.2xlarge"
  }
}

resource "terraform_data" "prod_db_volume_backup" {
  input = {
    source   = terraform_data.prod_db.id
    schedule = "daily"
  }
}
