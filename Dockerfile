# The image of `planguard serve`, the run task service (docs/guides/terraform-cloud.md).
# GoReleaser builds it from the release binary (.goreleaser.yml, dockers); by hand:
#   CGO_ENABLED=0 go build -trimpath -o planguard ./planguard && docker build -t planguard .
# Distroless static: no shell, no package manager; CA certificates for the
# HCP Terraform API; runs as the unprivileged user nonroot (65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY planguard /usr/local/bin/planguard
USER nonroot:nonroot
EXPOSE 8080
# Mount the policy and its allowed_signers read-only at /etc/planguard, and
# pass the HMAC key as a file (--hmac-key-file) or $PLANGUARD_HMAC_KEY.
ENTRYPOINT ["/usr/local/bin/planguard"]
CMD ["serve", "--listen", ":8080", "--policy", "/etc/planguard/planguard.hcl", "--hmac-key-file", "/run/secrets/planguard_hmac_key", "--log-format", "json"]
