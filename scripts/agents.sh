#!/usr/bin/env bash
# Installs the coding-agent clients the hook tests drive (make tools calls
# this): Claude Code from the npm registry, pinned, into a cache outside the
# clone (PLANGUARD_NPM, default ~/.cache/planguard/npm). The package's `claude`
# is the native binary from its platform package; the test finds it as
# $PLANGUARD_NPM/node_modules/.bin/claude (or $PLANGUARD_CLAUDE).
set -euo pipefail

prefix="${PLANGUARD_NPM:-$HOME/.cache/planguard/npm}"
claude_version="${CLAUDE_CODE_VERSION:-2.1.332}"

mkdir -p "$prefix"
have="$(cd "$prefix" && node -p 'require("./node_modules/@anthropic-ai/claude-code/package.json").version' 2>/dev/null || true)"
if [ "$have" = "$claude_version" ] && [ -x "$prefix/node_modules/.bin/claude" ]; then
	echo "tools: claude-code $claude_version present in $prefix"
	exit 0
fi
echo "tools: installing @anthropic-ai/claude-code@$claude_version into $prefix"
[ -f "$prefix/package.json" ] || echo '{"private":true}' > "$prefix/package.json"
# --ignore-scripts is not used: the package's postinstall links the native
# binary from the platform package. engine-strict is off: the native binary
# does not need the Node version the wrapper names.
(cd "$prefix" && npm install --no-audit --no-fund --engine-strict=false --save-exact "@anthropic-ai/claude-code@$claude_version")
"$prefix/node_modules/.bin/claude" --version
