// Package planref is the reference reader of plan JSON that planguard's
// production reader (plan.Decode) is checked and measured against: a strict
// token-by-token walk on encoding/json (tokens.go) and a full decode into
// terraform-json's tfjson.Plan (full.go). It walks the JSON independently of
// plan.Decode's scanner and shares with it only the rules of package
// planformat (the Plan it returns, the key lists, Header and Classify,
// BuildApproval, ChangedAttributes, ConfigInfo, Prior); it does not import
// package plan.
//
// Only tests, fuzzers and the benchmarks (scripts/bench) import it: it is
// not part of the planguard binary (TestNotInBinary checks that).
package planref
