package shell

import "testing"

// Review hook154 (on 3f9fad4): sed labels (:a, b, t, T and v's version)
// end at a blank, so `:a e CMD` and `:a w FILE` hide a command (H1); an
// awk print continued onto the next line (after a comma, a comment or a
// backslash-newline), or with a division after i++/i-- read as a regex,
// hid its redirection, and a literal name was compared as written though
// awk decodes "\057" (H2, H5); curl -T into sftp://, scp:// and ftp://
// URLs writes the URL's (percent-decoded) path, on a host that may be
// this machine (H3); uniq reads +N as an option, so the output is a later
// operand (H6); gawk's in-place library loaded with -f or -E (H4).
var h154Refused = []h32Case{
	// H1: sed.
	{cmd: "sed -n ':a e terraform destroy -auto-approve' ../e.json", victim: "state"},
	{cmd: "sed -n ':a e terraform destroy -auto-approve' main.tf"},
	{cmd: "sed ':x s|.*|@TF@ destroy -auto-approve|e' ../e.json", victim: "state"},
	{cmd: "sed '1!G;:x e touch /tmp/marker' main.tf"},
	{cmd: "sed -n ':a w ../planguard.hcl' ../e.json", victim: "policy"},
	{cmd: "sed -n ':a w terraform.tfstate' main.tf", victim: "statefile"},
	{cmd: "sed -n ':a\tw ../planguard.hcl' ../e.json", victim: "policy"},
	{cmd: "sed -n ': a w ../planguard.hcl' ../e.json", victim: "policy"},
	{cmd: "sed -n 'tx w ../planguard.hcl\n:x' ../e.json", victim: "policy"},
	{cmd: "sed -n 's/^//;T x w ../planguard.hcl\n:x' ../e.json", victim: "policy"},
	{cmd: "sed -n 'bx w ../planguard.hcl\n:x' ../e.json"},
	{cmd: "sed -n 'v 4.2 w ../planguard.hcl' ../e.json", victim: "policy"},
	{cmd: "sed -n -e ':a' -e ':b e terraform destroy -auto-approve' ../e.json", victim: "state"},
	{cmd: "sed -n 'bx e terraform destroy -auto-approve\n:x' ../e.json"},
	{cmd: "sed -n 's/^//;tx e terraform destroy -auto-approve\n:x' ../e.json"},
	{cmd: "sed -n '{:a w ../planguard.hcl\n}' ../e.json", victim: "policy"},
	{cmd: "sed -n '{bx w ../planguard.hcl\n:x\n}' ../e.json"},
	{cmd: "sed -n ':a#x\n:b w ../planguard.hcl' ../e.json", victim: "policy"},
	// H2: awk print continued onto the next line; escaped names.
	{cmd: "awk 'BEGIN{print 1,\n 2 > \"..\\057planguard.hcl\"}'"},
	{cmd: "awk 'BEGIN{print 1,\n 2 > \"terraform.tfstat\\145\"}'", victim: "statefile"},
	{cmd: "awk '{printf \"%s\\n\",\n $0 > \"..\\057planguard.hcl\"}' ../e.json", victim: "policy"},
	{cmd: "awk '{print \\\n $0 > \"..\\057planguard.hcl\"}' ../e.json", victim: "policy"},
	{cmd: "awk 'BEGIN{print 1 \\\n > \"..\\057planguard.hcl\"}'"},
	{cmd: "awk 'BEGIN{print 1,\n 2 > f}' f=x"},
	{cmd: "awk -v 'f=..\\057planguard.hcl' '{printf \"%s\\n\",\n $0 > f}' ../e.json", victim: "policy"},
	{cmd: "awk '{print $0, # comment\n \"\" > \"..\\057planguard.hcl\"}' ../e.json"},
	{cmd: "awk '{print 1 &&\n 2 > \"terraform.tfstat\\145\"}' main.tf", victim: "statefile"},
	{cmd: "mawk 'BEGIN{print 1,\n 2 > \"terraform.tfstat\\145\"}'", needs: "mawk", victim: "statefile"},
	// H5: a division after a postfix ++ or -- is no regex.
	{cmd: "awk 'BEGIN{i=4; print \"x\" i-- / 2 > \"terraform.tfstat\\145\"; x = 1 / 2}'", victim: "statefile"},
	{cmd: "awk 'BEGIN{i=4; print i++ / 2 > \"..\\057planguard.hcl\"; x = 1 / 2}'"},
	{cmd: "awk '{i=2; print substr($0, i-- / 2, 4) > \"..\\057planguard.hcl\"; x = 1 / 2}' ../e.json", victim: "policy"},
	{cmd: "awk 'BEGIN{i=4; print i-- / 2 > f; x = 1 / 2}' f=x"},
	// H3: curl uploads into sftp://, scp:// and ftp:// URLs.
	{cmd: "curl -sS -u root: --key /tmp/k --pubkey /tmp/k.pub -T main.tf sftp://localhost:2222ROOT/planguard.hcl"},
	{cmd: "curl -sS -u root: -T main.tf 'sftp://localhost:2222ROOT/tf/terraform.tfstat%65'"},
	{cmd: "curl -T main.tf scp://localhost:2222ROOT/allowed_signers"},
	{cmd: "curl -T main.tf SFTP://localhostROOT/planguard.hcl"},
	{cmd: "curl -T main.tf 'sftp://user@localhostROOT/plangu%61rd.hcl'"},
	{cmd: "curl -T main.tf 'sftp://localhost/%2FROOT/planguard.hcl'"},
	{cmd: "curl -T main.tf 'sftp://localhostROOT/planguard.hcl?x'"},
	{cmd: "curl -T main.tf 'sftp://localhostROOT/planguard.hcl#x'"},
	{cmd: "curl -T main.tf ftp://localhostROOT/planguard.hcl"},
	{cmd: "curl -T main.tf ftps://localhost/ROOT/planguard.hcl"},
	{cmd: "curl -T main.tf --url sftp://localhostROOT/planguard.hcl"},
	{cmd: "curl -T main.tf https://example.com/up -T main.tf sftp://localhostROOT/planguard.hcl"},
	{cmd: "curl -T d/planguard.hcl sftp://localhostROOT/"},
	{cmd: "curl -T - sftp://localhostROOT/"},
	{cmd: "curl -T main.tf 'sftp://localhost/~/.bashrc'"},
	{cmd: "curl -T .bashrc 'sftp://localhost/~/'"},
	{cmd: "curl -T main.tf ftp://localhost/.bashrc"},
	{cmd: "curl -T main.tf 'sftp://localhostROOT/{a,planguard.hcl}'"},
	{cmd: "curl --upload-file main.tf scp://127.0.0.1ROOT/planguard.hcl"},
	// H6: uniq +N.
	{cmd: "_POSIX2_VERSION=199209 uniq +0 main.tf terraform.tfstate", victim: "statefile"},
	{cmd: "_POSIX2_VERSION=199209 uniq +0 ../e.json ../planguard.hcl", victim: "policy"},
	{cmd: "uniq +0 ../e.json ../planguard.hcl", victim: "policy"},
	{cmd: "export _POSIX2_VERSION=199209; uniq +0 main.tf terraform.tfstate", victim: "statefile"},
	{cmd: "uniq -c +0 main.tf terraform.tfstate", victim: "statefile"},
	{cmd: "uniq +1 +0 ../e.json ../planguard.hcl"},
	{cmd: "n=+0; uniq $n ../e.json ../planguard.hcl", victim: "policy"},
	// H4: gawk's in-place library loaded as a program file.
	{cmd: "gawk -f /usr/share/awk/inplace.awk -e '{print \"evil\"}' ../planguard.hcl", needs: "gawk /usr/share/awk/inplace.awk", victim: "policy"},
	{cmd: "gawk -f inplace.awk -e '{print \"x\"}' terraform.tfstate", needs: "gawk /usr/share/awk/inplace.awk", victim: "statefile"},
	{cmd: "gawk -f inplace -e '{print \"x\"}' terraform.tfstate", needs: "gawk /usr/share/awk/inplace.awk", victim: "statefile"},
	{cmd: "gawk --file=inplace -e '{print \"x\"}' terraform.tfstate", needs: "gawk /usr/share/awk/inplace.awk", victim: "statefile"},
	{cmd: "gawk --fil inplace.awk -e '{print \"x\"}' terraform.tfstate", needs: "gawk /usr/share/awk/inplace.awk", victim: "statefile"},
	{cmd: "gawk -E /usr/share/awk/inplace.awk terraform.tfstate", needs: "gawk /usr/share/awk/inplace.awk", victim: "statefile"},
	{cmd: "gawk --exec=/usr/share/awk/inplace.awk ../allowed_signers"},
	{cmd: "gawk -f inplace.awk -e '{print \"x\"}' ../allowed_signers"},
	{cmd: "awk -f inplace.awk -e '{print \"x\"}' terraform.tfstate", needs: "gawk /usr/share/awk/inplace.awk", victim: "statefile"},
}

// h154Kept were refused before (a literal name with a backslash was read
// as computed; a regex left open) and stay refused now that the names are
// decoded as awk decodes them.
var h154Kept = []h32Case{
	{cmd: "awk 'BEGIN{i=4; print i++ /\"/ > f; x = \"/\"}' f=x"},
	{cmd: "awk '{print $1 in a / 2 > f}' f=x"},
	{cmd: "awk '{print > \"..\\057planguard.hcl\"}' ../e.json", victim: "policy"},
	{cmd: "awk '{print > \"..\\x2fplanguard.hcl\"}' ../e.json", victim: "policy"},
	{cmd: "awk '{print > \"..\\/planguard.hcl\"}' ../e.json", victim: "policy"},
	{cmd: "awk '{print > \"terraform.tfstat\\e\"}' main.tf", victim: "statefile"},
	{cmd: "awk '{print > \"x\\0\"}' main.tf"},
	{cmd: "awk '{print > \"terraform.tfstat\\u0065\"}' main.tf"},
	{cmd: "awk 'BEGIN{i=4; print i++ / 2 > \"../planguard.hcl\"; x = 1 / 2}'"},
}

var h154Allowed = []string{
	"sed -n ':a;N;$!ba;s/\\n/ /g;p' f",
	"sed -e ':x' -e 's/aa/a/;tx' f",
	"sed -e :a -e '$!N;s/\\n//;ta' f",
	"sed 'b end; s/x/y/; :end' f",
	"sed -n '/x/{p;b};p' f",
	"sed ':a;s/^\\(\\s*\\)\\t/\\1  /;ta' f",
	"sed -n '/start/,/end/{/end/!{$!{N;ba};};p;:a}' f",
	"sed -n ':a w out.txt' f",
	"sed 'tx w out.txt\n:x' f",
	"awk '{print $1, $2}' f",
	"awk 'BEGIN{i=4; print i-- / 2}'",
	"awk '{print > \"out.txt\"}' f",
	"awk '{print $1,\n $2 > \"out.txt\"}' f",
	"awk '{print > \"a\\tb.txt\"}' f",
	"awk '{print > \"notes\\057out.txt\"}' f",
	"awk '$1 > 5 {print $2}' f",
	"awk '{ if ($1 ~ /[a-z]+/) print $1 > \"words.txt\" }' f",
	"awk '{print $0 > \"out.txt\" # keep\n}' f",
	"awk '{n = n / 2; print n / 2, $1 / 3}' f",
	"awk -F'/' '{print $NF}' f",
	"awk '{gsub(/[/]/, \"-\"); print > \"out.txt\"}' f",
	"awk '{print i++ / 2, $1 / 4 > \"out.txt\"}' f",
	"awk '{print ($1 > \"m\") ? \"late\" : \"early\"}' f",
	"awk '{print $1 / 2, /x/ ? \"a\" : \"b\" > \"out.txt\"}' f",
	"awk '{print n++ / 2; m = 1 / 2}' f",
	"awk '{x = $1 ~ /[/]/; print x > \"out.txt\"}' f",
	"awk '{print /\"/ > \"out.txt\"}' f",
	"awk '{print \"a\" > \"out.txt\"; print \"b\" >> \"log.txt\"}' f",
	"curl -T f https://example.com/up",
	"curl -T f sftp://example.com/upload/f.txt",
	"curl -T f ftp://ftp.example.com/incoming/",
	"curl -T f 'sftp://example.com/~/uploads/f.txt'",
	"curl -O sftp://example.com/pub/file.tar.gz",
	"uniq a.txt b.txt",
	"uniq -c a.txt",
	"uniq +1 a.txt b.txt",
	"gawk -i inplace '{print}' notes.txt",
	"gawk -f prog.awk data.txt",
	"gawk -f inplace.awk -e '{print}' notes.txt",
}

func TestHook154Refused(t *testing.T) {
	hookRefused(t, h154Refused)
	hookRefused(t, h154Kept)
}

func TestHook154Allowed(t *testing.T) {
	hookAllowed(t, h154Allowed)
}

// TestHook154BashRuns runs the spellings in bash over a real applied
// state (hookBashRuns): sed, awk and uniq everywhere; gawk's inplace.awk
// and mawk where installed.
func TestHook154BashRuns(t *testing.T) {
	hookBashRuns(t, append(h154Refused, h154Kept...), bashRuns{line: h37Line})
}
