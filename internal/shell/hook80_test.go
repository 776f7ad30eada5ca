package shell

import "testing"

// Review hook80 (on bcfba66): docker's --entrypoint=PROG in one word, a
// shell entrypoint (M1); terragrunt, which may generate a backend and run
// init on its own, with a local state here (M2). H1 (a FIFO named like a
// configuration file) is tested through the hook command
// (planguard/hook80_test.go).

func TestHook80Containers(t *testing.T) {
	opts := h32Opts("/work")
	for _, line := range []string{
		"docker run --entrypoint=terraform img destroy -auto-approve",
		"docker container run --entrypoint=tofu img destroy",
		"podman run --entrypoint=sh img -c 'terraform destroy -auto-approve'",
		"echo 'terraform destroy -auto-approve' | docker run -i --entrypoint sh hashicorp/terraform",
	} {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed, want refused: %q", line)
		}
	}
	if r := Analyze("docker run --rm alpine echo hi", opts); !r.Allowed() {
		t.Errorf("refused: %q", r.Refused)
	}
}

func TestHook80Terragrunt(t *testing.T) {
	opts := h32Opts("/work")
	opts.LocalState = func(dir string) bool { return dir == "/work/tf" }
	for _, line := range []string{"terragrunt init", "terragrunt plan", "terragrunt run -- plan", "terragrunt init -input=false"} {
		if r := Analyze(line, opts); r.Allowed() {
			t.Errorf("allowed with a local state, want refused: %q", line)
		}
	}
	for _, line := range []string{"terragrunt --version", "terragrunt hclfmt"} {
		if r := Analyze(line, opts); !r.Allowed() {
			t.Errorf("refused: %q\n%q", line, r.Refused)
		}
	}
	opts.LocalState = func(string) bool { return false }
	if r := Analyze("terragrunt plan", opts); !r.Allowed() {
		t.Errorf("terragrunt plan without a local state refused: %q", r.Refused)
	}
}
