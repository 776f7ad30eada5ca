#!/usr/bin/env bash
# Runs every planguard fuzzer for FUZZTIME (default 10m) each, one after the
# other (or JOBS at a time), with `go test -fuzz`. A failure stops the run
# and leaves the failing input in the package's testdata/fuzz/ (Go does that),
# to be committed with the fix.
#
#   scripts/fuzz.sh                 every fuzzer, FUZZTIME each
#   FUZZTIME=10s scripts/fuzz.sh    what CI runs
#   scripts/fuzz.sh --save          (alone: only) copy the inputs the fuzzers found
#                                   interesting (Go keeps them in $GOCACHE/fuzz)
#                                   into testdata/fuzz/, at most SAVE_MAX per fuzzer,
#                                   so that plain `go test` replays them
#   scripts/fuzz.sh FuzzDecode      only the fuzzers named
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${FUZZTIME:-10m}"
jobs="${JOBS:-1}"
save_max="${SAVE_MAX:-150}"
module="$(go list -m)"

# package:fuzzer, every fuzzer in the repository (checked just below).
targets=(
	./internal/plan:FuzzDecode
	./internal/planfile:FuzzRead
	./internal/planfile:FuzzRecord
	./internal/planfile:FuzzParseState
	./internal/policy:FuzzParse
	./internal/runner:FuzzRequest
	./internal/policy:FuzzMatchAddress
	./internal/trust:FuzzParseAllowedSigners
	./internal/trust:FuzzParseRevocations
	./internal/sshsig:FuzzParse
	./internal/address:FuzzParse
	./planguard:FuzzCheckNoAllowOnError
	./planguard:FuzzApplyArgs
	./internal/shell:FuzzAnalyze
	./internal/shell:FuzzCompose
	./internal/lockfile:FuzzParseLockFile
	./internal/runtask:FuzzRunTask
	./internal/tfsource:FuzzCheckLoadTime
)

# The list must name every fuzzer in the code, so none is silently skipped.
found="$(grep -rhoE --include='*_test.go' '^func (Fuzz[A-Za-z0-9_]+)' internal planguard | sed 's/^func //' | sort)"
listed="$(printf '%s\n' "${targets[@]#*:}" | sort)"
if [ "$found" != "$listed" ]; then
	echo "fuzz.sh: the targets list and the fuzzers in the code differ:" >&2
	diff <(echo "$listed") <(echo "$found") >&2 || true
	exit 2
fi

save=0
want=()
for a in "$@"; do
	case "$a" in
	--save) save=1 ;;
	Fuzz*) want+=("$a") ;;
	*) echo "fuzz.sh: unknown argument $a" >&2; exit 2 ;;
	esac
done

selected=()
for t in "${targets[@]}"; do
	if [ "${#want[@]}" -eq 0 ] || printf '%s\n' "${want[@]}" | grep -qx "${t#*:}"; then
		selected+=("$t")
	fi
done

run() { # run PKG:FUZZER
	local pkg="${1%%:*}" name="${1#*:}" out status
	echo "fuzz: $pkg $name for $fuzztime"
	out="$(mktemp)"
	set +e
	go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -parallel 1 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	set -e
	# Go's fuzzing engine can fail a run with only "context deadline
	# exceeded" when fuzztime ends while a busy machine's worker is slow
	# to answer: no input failed, and none was written to testdata/fuzz.
	# Run it once more; a second such failure, or any other, stops the run.
	if [ "$status" -ne 0 ] && grep -q 'context deadline exceeded' "$out" && ! grep -q 'Failing input written to' "$out"; then
		echo "fuzz: $name stopped on the engine's deadline with no failing input; running it again"
		go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -parallel 1 || { rm -f "$out"; return 1; }
		status=0
	fi
	rm -f "$out"
	return "$status"
}

# "--save" alone only saves what earlier runs found.
if [ "$*" != "--save" ]; then
	if [ "$jobs" -le 1 ]; then
		for t in "${selected[@]}"; do run "$t" || exit 1; done
	else
		pids=()
		for t in "${selected[@]}"; do
			while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || exit 1; done
			run "$t" >"${TMPDIR:-/tmp}/planguard-fuzz-${t#*:}-$$.log" 2>&1 &
			pids+=($!)
		done
		status=0
		for p in "${pids[@]}"; do wait "$p" || status=1; done
		tail -n 3 "${TMPDIR:-/tmp}"/planguard-fuzz-*-$$.log
		[ "$status" -eq 0 ] || exit 1
	fi
fi

if [ "$save" -eq 1 ]; then
	cache="$(go env GOCACHE)/fuzz"
	for t in "${selected[@]}"; do
		pkg="${t%%:*}" name="${t#*:}"
		src="$cache/$module/${pkg#./}/$name"
		dst="$pkg/testdata/fuzz/$name"
		[ -d "$src" ] || continue
		mkdir -p "$dst"
		# The smallest inputs first: they replay fast and read well.
		n=0
		while IFS= read -r f; do
			[ "$n" -lt "$save_max" ] || break
			[ -e "$dst/$(basename "$f")" ] || cp "$f" "$dst/"
			n=$((n + 1))
		done < <(find "$src" -type f -printf '%s %p\n' | sort -n | cut -d' ' -f2-)
		echo "fuzz: $dst holds $(find "$dst" -type f | wc -l) inputs"
	done
fi
