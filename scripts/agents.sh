#!/usr/bin/env bash
# Installs the coding-agent clients the hook tests drive (make tools and make
# agent-clients call this), pinned, from the npm registry, into a cache
# outside the clone (PLANGUARD_NPM, default ~/.cache/planguard/npm):
#   Claude Code (@anthropic-ai/claude-code: `claude`, a native binary from its
#   platform package), GitHub Copilot CLI (@github/copilot: `copilot`) and
#   Gemini CLI (@google/gemini-cli: `gemini`). The tests find them in
#   $PLANGUARD_NPM/node_modules/.bin (or $PLANGUARD_CLAUDE, $PLANGUARD_COPILOT,
#   $PLANGUARD_GEMINI). Cursor's agent CLI is not on the npm registry.
set -euo pipefail

prefix="${PLANGUARD_NPM:-$HOME/.cache/planguard/npm}"
pkgs=(
	"@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION:-2.1.332}"
	"@github/copilot@${COPILOT_CLI_VERSION:-1.0.102}"
	"@google/gemini-cli@${GEMINI_CLI_VERSION:-0.61.0}"
)

mkdir -p "$prefix"
[ -f "$prefix/package.json" ] || echo '{"private":true}' > "$prefix/package.json"
missing=()
for p in "${pkgs[@]}"; do
	name="${p%@*}" want="${p##*@}"
	have="$(cd "$prefix" && node -p "require('./node_modules/$name/package.json').version" 2>/dev/null || true)"
	if [ "$have" = "$want" ]; then
		echo "tools: $name $want present in $prefix"
	else
		missing+=("$p")
	fi
done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "tools: installing ${missing[*]} into $prefix"
	# engine-strict off: the native binaries do not need the Node version
	# the wrappers name.
	(cd "$prefix" && npm install --no-audit --no-fund --engine-strict=false --save-exact "${missing[@]}")
fi
for b in claude copilot gemini; do
	[ -x "$prefix/node_modules/.bin/$b" ] || { echo "tools: $prefix/node_modules/.bin/$b is missing" >&2; exit 1; }
done
"$prefix/node_modules/.bin/claude" --version
