# The planguard CLI as a container image: planguard is the entrypoint, so
# every command runs in it (check, apply, verify, serve, …):
#   docker run --rm -v "$PWD:/work" -w /work IMAGE check --policy /policy/planguard.hcl plan.json
# The release build (goreleaser, .goreleaser.yml `dockers`) puts the built
# binary beside this file. To build an image from a clone:
#   CGO_ENABLED=0 go build -trimpath -o bin/planguard ./planguard
#   docker build --build-arg BIN=bin/planguard -t planguard .
# The image has no terraform: check JSON plans (terraform show -json), or
# mount a terraform binary and pass --terraform-bin for binary saved plans.
# Pin the base image by digest in your own builds.
FROM gcr.io/distroless/static-debian12:nonroot
# Where the binary is in the build context (goreleaser: planguard).
ARG BIN=planguard
COPY ${BIN} /usr/local/bin/planguard
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/planguard"]
# As the run task service (docs/guides/terraform-cloud.md): mount the policy
# and its allowed_signers read-only at /etc/planguard and the HMAC key as a
# secret, then run
#   docker run -p 8080:8080 IMAGE serve --listen :8080 --policy /etc/planguard/planguard.hcl \
#     --hmac-key-file /run/secrets/planguard_hmac_key --log-format json
EXPOSE 8080
