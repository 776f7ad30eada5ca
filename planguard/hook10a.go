package main

// less's key files (lesskey source and compiled): their #env section sets
// LESSOPEN, a command less runs for every file it opens, and less is git's
// and man's pager (hook17b review F5).
func init() {
	homeImplicit = append(homeImplicit, ".lesskey", ".config/lesskey", ".less")
}
