// Package planref is the reference reader of plan JSON that planguard's
// production reader (plan.Decode) is checked and measured against: a strict
// token-by-token walk on encoding/json (tokens.go) and a full decode into
// terraform-json's tfjson.Plan (full.go). It walks the JSON independently of
// plan.Decode's scanner and shares with it only what the two must agree on
// (plan.Header, plan.BuildApproval, plan.ChangedAttributes, plan.Keys,
// plan.ConfigInfo, plan.Classify).
//
// Only tests, fuzzers and the benchmarks (scripts/bench) import it: it is
// not part of the planguard binary (TestNotInBinary checks that).
package planref
