package shell

import "testing"

// Review hook142's false refusals, fixed in the eleventh round: git commands
// that only read the paths they name (after `--`, or with no writing option
// at all), git rm --cached (the guide's own advice before a stash), a
// process substitution running terraform as the input of a loop, and a
// version number after terraform in a version manager's arguments.
func TestHook142GitReads(t *testing.T) {
	hookAllowed(t, []string{
		"git log -- terraform.tfstate",
		"git log --oneline -- terraform.tfstate ../planguard.hcl",
		"git diff -- terraform.tfstate",
		"git diff HEAD~1 -- .claude/settings.json",
		"git show HEAD -- ../planguard.hcl",
		"git status -- terraform.tfstate",
		"git status --short terraform.tfstate",
		"git check-ignore terraform.tfstate",
		"git check-ignore -v terraform.tfstate",
		"git -C . ls-files terraform.tfstate",
		"git blame -- ../allowed_signers",
		"git rm --cached terraform.tfstate",
		"git rm --cached -r -- terraform.tfstate",
		"git rm -rq --cached terraform.tfstate",
		"while read r; do echo \"$r\"; done < <(terraform state list)",
		"cat < <(tofu state list)",
		"asdf install terraform 1.8.5",
		"asdf uninstall terraform v1.11.4",
		"asdf set terraform 1.9.0-rc1",
	})
	hookRefused(t, []h32Case{
		// What the paths are still judged as writes for.
		{cmd: "git rm terraform.tfstate"},
		{cmd: "git rm -- terraform.tfstate"},
		{cmd: "git rm -r --cached --no-cached terraform.tfstate"},
		{cmd: "git rm --cach terraform.tfstate"},
		{cmd: "git rm --cached $x terraform.tfstate"},
		{cmd: "git rm --cached --pathspec-from-file=x terraform.tfstate"},
		{cmd: "git diff --output=../planguard.hcl -- x"},
		{cmd: "git diff --output ../planguard.hcl -- x"},
		{cmd: "git log --output=../planguard.hcl -- terraform.tfstate"},
		{cmd: "git log $x -- ../planguard.hcl"},
		{cmd: "git checkout -- terraform.tfstate"},
		{cmd: "git restore -- terraform.tfstate"},
		{cmd: "git stash push -- terraform.tfstate"},
		{cmd: "git status $x terraform.tfstate"},
		{cmd: "echo ':%d|wq' | git grep -Ovim -e . -- terraform.tfstate"},
		// Process substitutions that copy a binary still count.
		{cmd: "tee x < <(cat /usr/bin/terraform)"},
		{cmd: "tee x < <(cat $(which terraform))"},
		{cmd: "tee x < <(command -v terraform | xargs cat)"},
		{cmd: "tee x < $(which terraform)"},
		{cmd: "cat < <(terraform destroy -auto-approve)"},
		// A version manager's words that are no version.
		{cmd: "asdf set terraform path:/tmp/tf"},
		{cmd: "asdf exec terraform destroy -auto-approve"},
		{cmd: "asdf install terraform $v"},
	})
}
