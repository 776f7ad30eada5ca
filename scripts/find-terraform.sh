#!/usr/bin/env bash
# Prints the path of a Terraform or OpenTofu binary the demo can use, and
# builds one only when there is none (make demo):
#
#   1. $1 when given (make demo TERRAFORM=/path/to/tofu), which must work;
#   2. terraform on PATH (the tools cache is on PATH first in make, so a
#      terraform `make tools` built counts), then tofu on PATH, when its
#      version is one the demo runs on: Terraform >= 1.5, OpenTofu >= 1.6;
#   3. else Terraform 1.8.5 built into the tools cache (scripts/tools.sh
#      terraform; minutes on a cold Go cache).
#
# Progress goes to standard error; only the path goes to standard output.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${PLANGUARD_TOOLS:-$HOME/.cache/planguard/bin}

# version BIN prints BIN's version (1.6.2 for "1.6.2-dev"), or fails.
version() {
	CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
		sed -n 's/^ *"terraform_version": *"\([0-9][0-9.]*\).*/\1/p' | grep .
}

# at_least A B: version A >= version B.
at_least() {
	[[ $(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1) == "$2" ]]
}

if [[ -n ${1:-} ]]; then
	if ! v=$(version "$1"); then
		echo "find-terraform: $1 does not run as terraform or tofu" >&2
		exit 1
	fi
	echo "find-terraform: using $1 ($v), as asked" >&2
	echo "$1"
	exit 0
fi

for name in terraform tofu; do
	p=$(command -v "$name" 2>/dev/null) || continue
	if ! v=$(version "$p"); then
		echo "find-terraform: $p does not report a version; skipped" >&2
		continue
	fi
	min=1.5.0
	[[ $name == tofu ]] && min=1.6.0
	if at_least "$v" "$min"; then
		echo "find-terraform: using $p ($name $v, already on PATH)" >&2
		echo "$p"
		exit 0
	fi
	echo "find-terraform: $p is $name $v; the demo needs $min or newer; skipped" >&2
done

echo "find-terraform: no terraform >= 1.5 or tofu >= 1.6 on PATH; building Terraform 1.8.5 into $bin" >&2
PLANGUARD_TOOLS=$bin "$here/tools.sh" terraform >&2
echo "$bin/terraform"
