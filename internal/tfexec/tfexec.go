// Package tfexec finds and runs terraform (or tofu) for the gate: it pins a
// saved plan (a private, hashed copy), runs `show -json` on it, and runs
// `apply` under a context whose end stops terraform gracefully.
package tfexec

// EnvBinary names the environment variable that chooses the terraform (or
// tofu) binary when no flag does.
const EnvBinary = "PLANGUARD_TERRAFORM"

// Find returns the terraform binary to run: flagValue (--terraform-bin)
// when set, else $PLANGUARD_TERRAFORM (getenv; nil means none), else
// "terraform", looked up on PATH when run.
func Find(flagValue string, getenv func(string) string) string {
	if flagValue != "" {
		return flagValue
	}
	if getenv != nil {
		if v := getenv(EnvBinary); v != "" {
			return v
		}
	}
	return "terraform"
}
