//go:build !unix

package main

import "os"

// peakRSSKB is not known where there is no getrusage.
func peakRSSKB(*os.ProcessState) (int64, bool) { return 0, false }
