#!/usr/bin/env bash
# Makes the seed KRLs of FuzzParseRevocations with ssh-keygen -k: one of
# every section kind. Run it from this directory; the keys are throwaway.
set -euo pipefail
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ssh-keygen -q -N "" -t ed25519 -C ca -f "$tmp/ca"
ssh-keygen -q -N "" -t ecdsa -C user -f "$tmp/user"
ssh-keygen -q -N "" -t rsa -b 1024 -C rsa -f "$tmp/rsa"
printf 'serial: 5\nserial: 90-110\nid: alice\n' >"$tmp/certs"
for s in $(seq 1 2 99); do echo "serial: $s"; done >"$tmp/bitmap"
printf 'sha1: %s\nsha256: %s\nhash: %s\n' "$(cat "$tmp/user.pub")" "$(cat "$tmp/rsa.pub")" \
	"$(ssh-keygen -l -f "$tmp/ca.pub" | cut -d' ' -f2)" >"$tmp/hashes"
printf 'id: bob\n' >"$tmp/anyca"
ssh-keygen -q -k -f certs.krl -z 7 -s "$tmp/ca.pub" "$tmp/certs"
ssh-keygen -q -k -f bitmap.krl -s "$tmp/ca.pub" "$tmp/bitmap"
ssh-keygen -q -k -f keys.krl "$tmp/user.pub" "$tmp/hashes"
ssh-keygen -q -k -f anyca.krl -s none "$tmp/anyca"
ssh-keygen -q -k -f empty.krl /dev/null
