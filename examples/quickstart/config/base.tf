# The world before the change: a production database, its backup and a cache.
resource "terraform_data" "prod_db" {
  input = "postgres-16 prod"
}

resource "terraform_data" "prod_db_backup" {
  input = "daily volume backup of prod_db"
}

resource "terraform_data" "cache" {
  input = "redis"
}
