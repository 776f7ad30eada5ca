#!/usr/bin/env bash
# Builds terraform-provider-planguard and installs it where Terraform and
# OpenTofu look for providers without any CLI configuration: their implied
# local mirror, ~/.terraform.d/plugins (make install-provider).
#
# `source = "planguard/planguard"` means registry.terraform.io/planguard/planguard
# to Terraform and registry.opentofu.org/planguard/planguard to OpenTofu (both
# read ~/.terraform.d/plugins), so the binary goes under both hostnames:
#
#   PLUGIN_DIR/registry.terraform.io/planguard/planguard/VERSION/OS_ARCH/terraform-provider-planguard_vVERSION
#   PLUGIN_DIR/registry.opentofu.org/planguard/planguard/VERSION/OS_ARCH/terraform-provider-planguard_vVERSION
#
# Environment:
#   PROVIDER_VERSION  the version to install as (default 0.0.1; a pre-release
#                     such as 0.0.1-dev is chosen only by an exact constraint)
#   PLUGIN_DIR        the plugin directory (default $HOME/.terraform.d/plugins;
#                     any directory for a CI filesystem_mirror)
#   GOOS, GOARCH      the platform to build for (default: this machine's)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="${PROVIDER_VERSION:-0.0.1}"
plugin_dir="${PLUGIN_DIR:-$HOME/.terraform.d/plugins}"

case "$version" in
v*) version="${version#v}" ;;
esac
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
	echo "install-provider: error: PROVIDER_VERSION=$version is not a version like 1.2.3" >&2
	exit 2
fi

goos="${GOOS:-$(go env GOOS)}"
goarch="${GOARCH:-$(go env GOARCH)}"
name="terraform-provider-planguard_v$version"
[ "$goos" != windows ] || name="$name.exe"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && GOOS="$goos" GOARCH="$goarch" CGO_ENABLED=0 go build -trimpath \
	-ldflags "-X main.version=$version" -o "$tmp/$name" .)

for host in registry.terraform.io registry.opentofu.org; do
	dir="$plugin_dir/$host/planguard/planguard/$version/${goos}_$goarch"
	mkdir -p "$dir"
	# Replace, never write into, a binary a running terraform may hold open.
	cp "$tmp/$name" "$dir/.$name.tmp"
	mv -f "$dir/.$name.tmp" "$dir/$name"
	echo "installed $dir/$name"
done
cat <<MSG

terraform init and tofu init now find planguard/planguard $version with no CLI configuration.
A directory whose .terraform.lock.hcl recorded another build of $version (another commit or
Go version) refuses this one, even with init -upgrade: delete the lock file there and run
terraform init again, or install as a new version (PROVIDER_VERSION=0.0.2 make install-provider).
MSG
