// Package planformat is what planguard knows of the JSON of a saved plan
// (`terraform show -json PLANFILE`), apart from reading it: the Plan the
// gate judges and its parts (Change, Approval, Prior, ProvisionerRun, …),
// and the rules every reader of plan JSON applies alike — the keys read in
// each object (and whose case variants are refused), the format versions
// accepted, how a resource change's actions are classified and validated,
// how an approval's attributes and an update's changed attributes are
// extracted, how provisioners and providers are resolved from the
// configuration, and the canonical form of a resource identity.
//
// Two independent readers apply these rules: the streaming reader of
// package plan (the gate's) and the reference decoder of package planref
// (tests, fuzzers and benchmarks only). They share the rules, not the
// parsing: that the two walks of the JSON agree is what the equivalence
// tests and the fuzzer check.
package planformat
