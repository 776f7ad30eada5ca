// Package gen scales a real `terraform show -json` plan fixture to N
// resource changes, for planguard's benchmark (make bench).
//
// It keeps the fixture's header (format_version, terraform_version, the
// provider, the timestamp) and Terraform 1.8's key order and shape, and
// writes every resource where Terraform writes it: in planned_values, in
// prior_state, in configuration (one block per ten instances, counted) and
// in resource_changes, with before/after objects of a few hundred bytes.
// About 3.1 KB of JSON per change, so that 100,000 changes make about
// 314 MB.
//
// The mix of actions is mostly no-op, with updates, creates, deletes,
// replaces, a few data-source reads, and signed planguard_approval
// resources that approve some of the protected deletes. WritePolicy writes
// the policy (planguard.hcl) and the trust file (allowed_signers) that make
// those approvals valid, so that `planguard check --policy
// DIR/planguard.hcl PLAN` does the whole job: read, match, verify
// signatures, decide, report; and a second policy (AllProtectedPolicy) that
// protects every terraform_data, the case where the gate keeps the most of
// the prior state.
package gen

import (
	"bufio"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
)

// Per module, resources come in blocks of blockSize counted instances.
const (
	perModule = 1000
	blockSize = 10
	scope     = "prod"
	principal = "bench@example.com"
	expiresAt = "2099-12-01T00:00:00Z"
)

// header is what is kept from the fixture.
type header struct {
	FormatVersion    string          `json:"format_version"`
	TerraformVersion string          `json:"terraform_version"`
	Timestamp        string          `json:"timestamp"`
	Configuration    json.RawMessage `json:"configuration"`
	ResourceChanges  []struct {
		ProviderName string `json:"provider_name"`
	} `json:"resource_changes"`
}

// Plan writes a plan of n resource changes, of the shape of the real
// plan JSON fixture (its header and provider are kept), with nApprovals
// signed planguard_approval resources, to w.
func Plan(w io.Writer, fixture []byte, n, nApprovals int) error {
	var h header
	if err := json.Unmarshal(fixture, &h); err != nil {
		return fmt.Errorf("fixture: %w", err)
	}
	var cfg struct {
		ProviderConfig json.RawMessage `json:"provider_config"`
	}
	if len(h.Configuration) > 0 {
		if err := json.Unmarshal(h.Configuration, &cfg); err != nil {
			return fmt.Errorf("fixture configuration: %w", err)
		}
	}
	g := &gen{n: n, provider: "terraform.io/builtin/terraform", hdr: h, providerConfig: cfg.ProviderConfig}
	if len(h.ResourceChanges) > 0 && h.ResourceChanges[0].ProviderName != "" {
		g.provider = h.ResourceChanges[0].ProviderName
	}
	if len(g.providerConfig) == 0 {
		g.providerConfig = json.RawMessage(`{"terraform":{"name":"terraform","full_name":"terraform.io/builtin/terraform"}}`)
	}
	signer, err := Signer()
	if err != nil {
		return err
	}
	if err := g.approvals(signer, nApprovals); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	g.w = bw
	g.plan()
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

// Signer is the deterministic approver key of the benchmark, so that runs
// are repeatable.
func Signer() (ssh.Signer, error) {
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, "planguard benchmark approver key")
	return ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed))
}

// WritePolicy writes planguard.hcl and allowed_signers, which make the
// plan's approvals valid, into dir.
func WritePolicy(dir string) error {
	signer, err := Signer()
	if err != nil {
		return err
	}
	return writePolicy(dir, signer.PublicKey())
}

func writePolicy(dir string, pub ssh.PublicKey) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	signers := principal + ` namespaces="planguard-approval" ` + string(ssh.MarshalAuthorizedKey(pub))
	if err := os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte(signers), 0o644); err != nil {
		return err
	}
	policy := `# Benchmark policy written by scripts/bench/genplan.
scope = "` + scope + `"

trust {
  allowed_signers = "allowed_signers"
}

# Deletes and replaces in the first two service modules need an approval.
protect "core" {
  addresses = ["module.svc_000.*", "module.svc_001.*"]
  actions   = ["delete", "replace"]
  approvals = 1
}

# Databases anywhere: deletes, replaces, forgets, and updates that change triggers_replace.
protect "databases" {
  types      = ["terraform_data"]
  addresses  = ["module.*.terraform_data.db_*"]
  actions    = ["delete", "replace", "forget", "update"]
  attributes = ["triggers_replace"]
  approvals  = 1
}
`
	if err := os.WriteFile(filepath.Join(dir, "planguard.hcl"), []byte(policy), 0o644); err != nil {
		return err
	}
	// The worst case for memory: every terraform_data is protected, so the
	// reader keeps every prior object for matching by id.
	all := strings.Replace(policy, "  addresses  = [\"module.*.terraform_data.db_*\"]\n", "", 1)
	if all == policy {
		return errors.New("the policy has no databases addresses line to drop")
	}
	return os.WriteFile(filepath.Join(dir, AllProtectedPolicy), []byte(all), 0o644)
}

// AllProtectedPolicy is the file name of the policy WritePolicy also
// writes, which protects every terraform_data.
const AllProtectedPolicy = "planguard-all.hcl"

type kind int

const (
	noop kind = iota
	update
	create
	del
	replace
	read
)

type gen struct {
	w              *bufio.Writer
	n              int
	provider       string
	hdr            header
	providerConfig json.RawMessage
	// approval resources (address → values JSON)
	appr []apprRes
}

type apprRes struct {
	name   string
	values string
}

// kindOf spreads the actions over the plan: 92% no-op, 4% update, 1.5%
// create, 1.5% delete, 0.5% replace, 0.5% data source read.
func kindOf(i int) kind {
	switch r := mix(uint64(i)) % 1000; {
	case r < 920:
		return noop
	case r < 960:
		return update
	case r < 975:
		return create
	case r < 990:
		return del
	case r < 995:
		return replace
	default:
		return read
	}
}

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// res names resource i: module.svc_MMM.terraform_data.NAME[IDX].
type res struct {
	i       int
	module  string // svc_003
	block   string // app_0042 or db_0042
	index   int
	kind    kind
	id      string
	address string
}

func (g *gen) res(i int) res {
	m := i / perModule
	b := (i % perModule) / blockSize
	r := res{i: i, module: fmt.Sprintf("svc_%03d", m), index: i % blockSize, kind: kindOf(i)}
	if b%10 == 3 {
		r.block = fmt.Sprintf("db_%03d", b)
	} else {
		r.block = fmt.Sprintf("app_%03d", b)
	}
	var x [8]byte
	binary.BigEndian.PutUint64(x[:], mix(uint64(i)+0x9e3779b97f4a7c15))
	h := fnv.New64a()
	_, _ = h.Write(x[:]) // a hash.Hash never fails
	y := h.Sum64()
	r.id = fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(y>>32), uint16(y>>16), uint16(y), uint16(mix(y)>>48), mix(y)&0xffffffffffff)
	typ := "terraform_data"
	if r.kind == read {
		typ = "terraform_remote_state"
		r.address = "module." + r.module + ".data." + typ + "." + r.block + "[" + strconv.Itoa(r.index) + "]"
	} else {
		r.address = "module." + r.module + "." + typ + "." + r.block + "[" + strconv.Itoa(r.index) + "]"
	}
	return r
}

// input is the resource's input object (a few hundred bytes); rev changes
// it for updates.
func (r res) input(rev int) string {
	return fmt.Sprintf(`{"description":"%s — see \"runbooks/%s.md\"","enabled":true,"env":"prod","name":"%s-%s-%d","owner":"team-%03d","ports":[443,%d],"revision":%d,"tags":{"CostCenter":"cc-%05d","Service":"%s"}}`,
		r.module, r.block, r.module, r.block, r.index, r.i%40, 8000+r.i%1000, rev, r.i%9973, r.module)
}

func (r res) values(rev int, withOutput bool, id string) string {
	in := r.input(rev)
	var b strings.Builder
	b.WriteString(`{"id":`)
	if id == "" {
		b.WriteString(`"` + r.id + `"`)
	} else {
		b.WriteString(id)
	}
	b.WriteString(`,"input":` + in)
	if withOutput {
		b.WriteString(`,"output":` + in)
	}
	b.WriteString(`,"triggers_replace":`)
	if strings.HasPrefix(r.block, "db_") {
		b.WriteString(`{"engine":"postgres","version":"` + strconv.Itoa(14+rev) + `"}`)
	} else {
		b.WriteString(`null`)
	}
	b.WriteString(`}`)
	return b.String()
}

const sensitive = `{"input":{"ports":[false,false],"tags":{}},"output":{"ports":[false,false],"tags":{}}}`

// s writes strings. bufio.Writer keeps its first error and Flush, in
// Plan, returns it.
func (g *gen) s(s ...string) {
	for _, x := range s {
		_, _ = g.w.WriteString(x)
	}
}

func q(s string) string { return strconv.Quote(s) }

func (g *gen) plan() {
	g.s(`{"format_version":`, q(g.hdr.FormatVersion), `,"terraform_version":`, q(g.hdr.TerraformVersion))
	// planned_values: everything that exists after apply.
	g.s(`,"planned_values":{"root_module":{`)
	g.rootResources(true)
	g.modules(func(r res) bool { return r.kind != del && r.kind != read }, func(r res) {
		switch r.kind {
		case create:
			g.stateResource(r, `{"input":`+r.input(0)+`,"triggers_replace":`+g.trig(r, 0)+`}`, `{"input":{"ports":[false,false],"tags":{}}}`)
		case update:
			g.stateResource(r, g.afterUpdate(r), `{"input":{"ports":[false,false],"tags":{}}}`)
		case replace:
			g.stateResource(r, `{"input":`+r.input(0)+`,"triggers_replace":`+g.trig(r, 1)+`}`, `{"input":{"ports":[false,false],"tags":{}}}`)
		default:
			g.stateResource(r, r.values(0, true, ""), sensitive)
		}
	})
	g.s(`}}`)
	// resource_changes
	g.s(`,"resource_changes":[`)
	for k, a := range g.appr {
		if k > 0 {
			g.s(`,`)
		}
		g.s(`{"address":"planguard_approval.`, a.name, `","mode":"managed","type":"planguard_approval","name":"`, a.name,
			`","provider_name":"registry.terraform.io/planguard/planguard","change":{"actions":["no-op"],"before":`, a.values, `,"after":`, a.values,
			`,"after_unknown":{},"before_sensitive":{"signatures":[{},{}]},"after_sensitive":{"signatures":[{},{}]}}}`)
	}
	for i := 0; i < g.n; i++ {
		if i > 0 || len(g.appr) > 0 {
			g.s(`,`)
		}
		g.change(g.res(i))
	}
	g.s(`]`)
	// prior_state: everything that exists before.
	g.s(`,"prior_state":{"format_version":"1.0","terraform_version":`, q(strings.TrimSuffix(g.hdr.TerraformVersion, "-dev")), `,"values":{"root_module":{`)
	g.rootResources(false)
	g.modules(func(r res) bool { return r.kind != create }, func(r res) {
		if r.kind == read {
			g.stateResource(r, `{"backend":"s3","config":{"bucket":"state-`+r.module+`","key":"`+r.block+`.tfstate"},"defaults":null,"outputs":{"arn":"arn:aws:s3:::x"},"workspace":null}`, `{}`)
			return
		}
		g.stateResource(r, r.values(0, true, ""), sensitive)
	})
	g.s(`}}}`)
	// configuration: one block per blockSize instances.
	g.s(`,"configuration":{"provider_config":`, string(g.providerConfig), `,"root_module":{`)
	if len(g.appr) > 0 {
		g.s(`"resources":[`)
		for k, a := range g.appr {
			if k > 0 {
				g.s(`,`)
			}
			g.s(`{"address":"planguard_approval.`, a.name, `","mode":"managed","type":"planguard_approval","name":"`, a.name,
				`","provider_config_key":"planguard","expressions":{"action":{"constant_value":"delete"},"scope":{"constant_value":"prod"}},"schema_version":0}`)
		}
		g.s(`],`)
	}
	g.s(`"module_calls":{`)
	mods := (g.n + perModule - 1) / perModule
	for m := 0; m < mods; m++ {
		if m > 0 {
			g.s(`,`)
		}
		name := fmt.Sprintf("svc_%03d", m)
		g.s(`"`, name, `":{"source":"./modules/service","expressions":{"name":{"constant_value":"`, name, `"}},"module":{"resources":[`)
		first := true
		for b := m * perModule; b < g.n && b < (m+1)*perModule; b += blockSize {
			r := g.res(b)
			if !first {
				g.s(`,`)
			}
			first = false
			mode, typ := "managed", "terraform_data"
			if r.kind == read {
				mode, typ = "data", "terraform_remote_state"
			}
			g.s(`{"address":"`, typ, `.`, r.block, `","mode":"`, mode, `","type":"`, typ, `","name":"`, r.block,
				`","provider_config_key":"terraform","expressions":{"input":{"references":["var.name","count.index","local.tags"]},"triggers_replace":{"references":["var.engine_version"]}},"schema_version":0,"count_expression":{"constant_value":`, strconv.Itoa(blockSize), `}}`)
		}
		g.s(`],"variables":{"name":{"description":"the service name"}}}}`)
	}
	g.s(`}}}`)
	ts := g.hdr.Timestamp
	if ts == "" {
		ts = "2026-11-25T06:23:01Z"
	}
	g.s(`,"timestamp":`, q(ts), `,"applyable":true,"complete":true,"errored":false}`, "\n")
}

func (g *gen) trig(r res, rev int) string {
	if strings.HasPrefix(r.block, "db_") {
		return `{"engine":"postgres","version":"` + strconv.Itoa(14+rev) + `"}`
	}
	return "null"
}

func (g *gen) afterUpdate(r res) string {
	// An update changes the input; the output becomes unknown (omitted).
	return `{"id":"` + r.id + `","input":` + r.input(1) + `,"triggers_replace":` + g.trig(r, 1) + `}`
}

// rootResources writes the approvals of the root module.
func (g *gen) rootResources(planned bool) {
	if len(g.appr) == 0 {
		return
	}
	g.s(`"resources":[`)
	for k, a := range g.appr {
		if k > 0 {
			g.s(`,`)
		}
		g.s(`{"address":"planguard_approval.`, a.name, `","mode":"managed","type":"planguard_approval","name":"`, a.name,
			`","provider_name":"registry.terraform.io/planguard/planguard","schema_version":0,"values":`, a.values, `,"sensitive_values":{"signatures":[{},{}]}}`)
	}
	g.s(`],`)
}

// modules writes "child_modules":[…] with the resources for which keep is
// true, written by write.
func (g *gen) modules(keep func(res) bool, write func(res)) {
	g.s(`"child_modules":[`)
	mods := (g.n + perModule - 1) / perModule
	for m := 0; m < mods; m++ {
		if m > 0 {
			g.s(`,`)
		}
		g.s(`{"resources":[`)
		first := true
		for i := m * perModule; i < g.n && i < (m+1)*perModule; i++ {
			r := g.res(i)
			if !keep(r) {
				continue
			}
			if !first {
				g.s(`,`)
			}
			first = false
			write(r)
		}
		g.s(`],"address":"module.`, fmt.Sprintf("svc_%03d", m), `"}`)
	}
	g.s(`]`)
}

func (g *gen) stateResource(r res, values, sens string) {
	mode, typ, prov := "managed", "terraform_data", g.provider
	if r.kind == read {
		mode, typ = "data", "terraform_remote_state"
	}
	g.s(`{"address":"`, r.address, `","mode":"`, mode, `","type":"`, typ, `","name":"`, r.block, `","index":`, strconv.Itoa(r.index),
		`,"provider_name":"`, prov, `","schema_version":0,"values":`, values, `,"sensitive_values":`, sens, `}`)
}

func (g *gen) change(r res) {
	mode, typ := "managed", "terraform_data"
	if r.kind == read {
		mode, typ = "data", "terraform_remote_state"
	}
	g.s(`{"address":"`, r.address, `","module_address":"module.`, r.module, `","mode":"`, mode, `","type":"`, typ, `","name":"`, r.block,
		`","index":`, strconv.Itoa(r.index), `,"provider_name":"`, g.provider, `","change":{"actions":`)
	before := r.values(0, true, "")
	switch r.kind {
	case noop:
		g.s(`["no-op"],"before":`, before, `,"after":`, before, `,"after_unknown":{},"before_sensitive":`, sensitive, `,"after_sensitive":`, sensitive, `}}`)
	case update:
		g.s(`["update"],"before":`, before, `,"after":`, g.afterUpdate(r), `,"after_unknown":{"output":true},"before_sensitive":`, sensitive,
			`,"after_sensitive":{"input":{"ports":[false,false],"tags":{}}}}}`)
	case create:
		g.s(`["create"],"before":null,"after":{"input":`, r.input(0), `,"triggers_replace":`, g.trig(r, 0), `},"after_unknown":{"id":true,"output":true},"before_sensitive":false,"after_sensitive":{"input":{"ports":[false,false],"tags":{}}}}}`)
	case del:
		g.s(`["delete"],"before":`, before, `,"after":null,"after_unknown":{},"before_sensitive":`, sensitive, `,"after_sensitive":false},"action_reason":"delete_because_count_index"}`)
	case replace:
		g.s(`["delete","create"],"before":`, before, `,"after":{"input":`, r.input(0), `,"triggers_replace":`, g.trig(r, 1), `},"after_unknown":{"id":true,"output":true},"before_sensitive":`, sensitive,
			`,"after_sensitive":{"input":{"ports":[false,false],"tags":{}}}},"action_reason":"replace_because_cannot_update"}`)
	case read:
		g.s(`["read"],"before":null,"after":{"backend":"s3","config":{"bucket":"state-`, r.module, `","key":"`, r.block, `.tfstate"},"defaults":null,"workspace":null},"after_unknown":{"outputs":true},"before_sensitive":false,"after_sensitive":{"config":{}}},"action_reason":"read_because_config_unknown"}`)
	}
}

// approvals makes n signed approvals of protected deletes (the first
// deletes in module svc_000 and svc_001), each bound to the object's id.
func (g *gen) approvals(signer ssh.Signer, n int) error {
	found := 0
	for i := 0; i < g.n && i < 2*perModule && found < n; i++ {
		r := g.res(i)
		if r.kind != del && r.kind != replace {
			continue
		}
		action := "delete"
		if r.kind == replace {
			action = "replace"
		}
		st := approval.Statement{Scope: scope, Target: r.address, Action: action,
			Reason: fmt.Sprintf("BENCH-%d: retire %s", found+1, r.address), ExpiresAt: expiresAt, Identity: r.id}
		payload, err := st.Payload()
		if err != nil {
			return err
		}
		sig, err := sshsig.Sign(signer, payload, approval.Namespace)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("bench_%d", found+1)
		sigs, _ := json.Marshal([]map[string]string{{"principal": principal, "signature": sig}, {"principal": "nobody@example.com", "signature": sig}})
		id, err := st.ID()
		if err != nil {
			return err
		}
		v := `{"action":` + q(action) + `,"expires_at":` + q(expiresAt) + `,"id":` + q(id) + `,"identity":` + q(r.id) +
			`,"reason":` + q(st.Reason) + `,"scope":` + q(scope) + `,"signatures":` + string(sigs) + `,"target":` + q(r.address) + `}`
		g.appr = append(g.appr, apprRes{name: name, values: v})
		found++
	}
	return nil
}
