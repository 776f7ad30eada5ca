# An agent "cleaning up": it removed the database and its backup from the
# configuration, and changed the cache's settings so it is replaced.
resource "terraform_data" "cache" {
  input            = "redis"
  triggers_replace = ["v2"]
}
