package shell

import "testing"

// Review hook55 F2: a cd into a protected directory was refused only when
// written out; after a cd whose directory the line computes (a variable,
// a glob, $(…), a default value, OLDPWD, the directory stack), a relative
// write may land in one (.github/hooks/evil.json, which Copilot CLI then
// runs). Such writes are refused.
func TestHook55ComputedCd(t *testing.T) {
	o := hook9aOpts
	o.ProtectedDirs = append(append([]string{}, hook9aOpts.ProtectedDirs...), "/work/infra/.github/hooks")
	for _, cmd := range []string{
		"d=.github/hooks; cd $d && printf %s '{}' > evil.json",
		"cd .github/hook[s] && echo x > evil.json",
		"cd $(echo .github/hooks) && echo x > evil.json",
		"cd ${d=.github/hooks} && echo x > evil.json",
		"OLDPWD=/work/infra/.github/hooks; cd - && echo x > evil.json",
		"d=.github/hooks; pushd $d && echo x > evil.json",
		"pushd /tmp; pushd; echo x > evil.json",
		"d=.github/hooks; cd $d && cp /tmp/e.json x.json",
	} {
		if r := Analyze(cmd, o); r.Allowed() {
			t.Errorf("allowed, want refused: %q", cmd)
		}
	}
	for _, cmd := range []string{
		"cd sub && echo x > out.txt",
		"d=sub; cd $d && make test",
		"cd \"$(git rev-parse --show-toplevel)\" && git status",
		"cd /tmp && echo x > /tmp/out.txt",
	} {
		if r := Analyze(cmd, o); !r.Allowed() {
			t.Errorf("refused, want allowed: %q\n%q", cmd, r.Refused)
		}
	}
}
