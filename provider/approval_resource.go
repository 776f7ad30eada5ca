package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/ssh"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
	"github.com/planguard/terraform-provider-planguard/internal/trust"
)

var (
	_ resource.Resource                   = (*approvalResource)(nil)
	_ resource.ResourceWithConfigure      = (*approvalResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*approvalResource)(nil)
	_ resource.ResourceWithValidateConfig = (*approvalResource)(nil)
)

// approvalResource is planguard_approval: a signed approval of one
// destructive change, kept in state. It calls no API.
type approvalResource struct {
	data *providerData // nil until the provider is configured
}

func newApprovalResource() resource.Resource {
	return &approvalResource{}
}

// approvalModel is the planguard_approval resource's data.
type approvalModel struct {
	ID         types.String `tfsdk:"id"`
	Payload    types.String `tfsdk:"payload"`
	Scope      types.String `tfsdk:"scope"`
	Target     types.String `tfsdk:"target"`
	Action     types.String `tfsdk:"action"`
	Reason     types.String `tfsdk:"reason"`
	ExpiresAt  types.String `tfsdk:"expires_at"`
	Identity   types.String `tfsdk:"identity"`
	From       types.String `tfsdk:"from"`
	IssuedAt   types.String `tfsdk:"issued_at"`
	Signatures types.List   `tfsdk:"signatures"`
}

// signatureModel is one element of signatures.
type signatureModel struct {
	Principal types.String `tfsdk:"principal"`
	Signature types.String `tfsdk:"signature"`
}

func (r *approvalResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_approval"
}

func (r *approvalResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A signed approval of one destructive change: that `action` on the resource instance " +
			"`target`, in `scope`, until `expires_at`. The `planguard check` gate allows a plan to delete, replace, " +
			"forget or (per policy) update a protected resource only when enough approvals signed by trusted " +
			"principals name exactly that change.\n\n" +
			"The signed bytes are the canonical JSON in `payload` (see the signing guide). An approval is " +
			"immutable: changing any argument replaces it and needs new signatures. The resource calls no API. " +
			"At plan time it checks the arguments (errors) and warns about what would keep the gate from " +
			"counting the approval: expiry, signatures that do not verify over the payload, user certificates " +
			"that expire before `expires_at` and, when the provider block names them, keys or certificates its " +
			"`allowed_signers` does not trust or another `scope`. " +
			"Warnings never fail a plan: the gate decides.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The approval's identifier: the hex SHA-256 of `payload`. Known at plan time " +
					"when all arguments are.",
				Computed: true,
			},
			"payload": schema.StringAttribute{
				MarkdownDescription: "The exact bytes approvers sign: the canonical (RFC 8785) JSON of `type` " +
					"(`planguard.approval/v1`), `scope`, `target`, `action`, `reason`, `expires_at` and `identity` " +
					"(`\"\"` when unset), plus `from` and `issued_at` only when they are set. Known at plan time " +
					"when all arguments are.",
				Computed: true,
			},
			"scope": schema.StringAttribute{
				MarkdownDescription: "The scope the approval is valid in, e.g. `prod`; the gate counts only " +
					"approvals naming its policy's scope. 1 to 128 characters of letters, digits, `.`, `_` and `-`.",
				Required:      true,
				Validators:    []validator.String{statementField("scope")},
				PlanModifiers: replace,
			},
			"target": schema.StringAttribute{
				MarkdownDescription: "The resource instance address the approval names, exactly as Terraform " +
					"prints it in plans, e.g. `module.data.aws_db_instance.legacy` or `aws_instance.web[\"a\"]`; " +
					"with action `invoke`, the address of the action (Terraform 1.14+), e.g. `action.aws_ec2_stop_instance.db`.",
				Required:      true,
				Validators:    []validator.String{statementField("target")},
				PlanModifiers: replace,
			},
			"action": schema.StringAttribute{
				MarkdownDescription: "The approved change: `delete`, `replace`, `update`, `forget`, `move` (the object " +
					"stays in state under `target`, renamed from `from` by a `moved` block), `provision` (the " +
					"provisioners the plan runs on `target`) or `invoke` (the plan's invocation of the action `target`, Terraform 1.14+).",
				Required:      true,
				Validators:    []validator.String{stringvalidator.OneOf(approval.Actions...)},
				PlanModifiers: replace,
			},
			"reason": schema.StringAttribute{
				MarkdownDescription: "Why the change is approved, e.g. a change ticket. Non-empty, at most 4096 bytes.",
				Required:            true,
				Validators:          []validator.String{statementField("reason")},
				PlanModifiers:       replace,
			},
			"expires_at": schema.StringAttribute{
				MarkdownDescription: "When the approval stops counting, as an RFC 3339 time such as " +
					"`2026-12-01T00:00:00Z`. It is signed exactly as written. An expired approval draws a warning.",
				Required:      true,
				Validators:    []validator.String{statementField("expires_at")},
				PlanModifiers: replace,
			},
			"identity": schema.StringAttribute{
				MarkdownDescription: "The prior `id` of the object the change destroys, binding the approval to " +
					"that object (a policy may require it). Omitted, the payload holds `\"\"`.",
				Optional:      true,
				Validators:    []validator.String{statementField("identity")},
				PlanModifiers: replace,
			},
			"from": schema.StringAttribute{
				MarkdownDescription: "The previous resource instance address of an object the plan moves (a `moved` " +
					"block's `from`; `previous_address` in the plan JSON), e.g. `terraform_data.prod_db`. Required " +
					"when `action` is `move`; with `delete`, `replace`, `update` or `forget` it approves the change of " +
					"an object moved in the same plan; not allowed with `provision`. It must differ from `target`. " +
					"The gate counts an approval only when its `from` is exactly the change's previous address (both " +
					"unset for an object that is not moved). Omitted, the payload has no `from` member.",
				Optional:      true,
				Validators:    []validator.String{statementField("from")},
				PlanModifiers: replace,
			},
			"issued_at": schema.StringAttribute{
				MarkdownDescription: "When the approval was issued, as an RFC 3339 time in UTC such as " +
					"`2026-11-24T09:30:00Z`, before `expires_at`; signed exactly as written. Rules with `max_ttl` " +
					"count only approvals that have it, whose `expires_at` is at most `max_ttl` after it and which " +
					"were not issued in the future. `planguard approve` sets it. Omitted, the payload has no " +
					"`issued_at` member.",
				Optional:      true,
				Validators:    []validator.String{statementField("issued_at")},
				PlanModifiers: replace,
			},
			"signatures": schema.ListNestedAttribute{
				MarkdownDescription: "Signatures over `payload`, at least one, one per principal. The gate counts " +
					"distinct trusted principals against the policy's `approvals`.",
				Required: true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					uniquePrincipalsValidator{},
				},
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"principal": schema.StringAttribute{
							MarkdownDescription: "Who signed, as named in `allowed_signers`, e.g. `alice@example.com`.",
							Required:            true,
							Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
						},
						"signature": schema.StringAttribute{
							MarkdownDescription: "The armored SSH signature (`-----BEGIN SSH SIGNATURE-----`…) made by " +
								"`ssh-keygen -Y sign -n planguard-approval` over `payload`, typically " +
								"`file(\"approvals/NAME.PRINCIPAL.sig\")`.",
							Required:   true,
							Validators: []validator.String{sshsigValidator{}},
						},
					},
				},
			},
		},
	}
}

func (r *approvalResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("planguard_approval expected *providerData, got %T. This is a bug in the provider.", req.ProviderData))
		return
	}
	r.data = data
}

// ValidateConfig checks the rules between fields that each field's own
// validator cannot: from against target and action, issued_at against
// expires_at. It reports only when the fields involved are known and each
// is valid on its own (their validators report otherwise).
func (r *approvalResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m approvalModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	valid := func(v types.String, field string) bool {
		return !v.IsUnknown() && (v.IsNull() || statementField(field).check(v.ValueString()) == nil)
	}
	if valid(m.From, "from") && valid(m.Target, "target") && !m.Target.IsNull() && !m.Action.IsUnknown() && !m.Action.IsNull() &&
		approval.ValidAction(m.Action.ValueString()) == nil {
		if err := approval.CheckFrom(m.From.ValueString(), m.Target.ValueString(), m.Action.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("from"), "Invalid from", err.Error())
		}
	}
	if valid(m.Target, "target") && !m.Target.IsNull() && !m.Action.IsUnknown() && !m.Action.IsNull() && approval.ValidAction(m.Action.ValueString()) == nil {
		if err := approval.CheckTarget(m.Target.ValueString(), m.Action.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("target"), "Invalid target", fmt.Sprintf("with action %q: %s", m.Action.ValueString(), err))
		}
	}
	if valid(m.IssuedAt, "issued_at") && !m.IssuedAt.IsNull() && valid(m.ExpiresAt, "expires_at") && !m.ExpiresAt.IsNull() {
		if err := approval.CheckIssuedAt(m.IssuedAt.ValueString(), m.ExpiresAt.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("issued_at"), "Invalid issued_at", err.Error())
		}
	}
}

// ModifyPlan fills in id and payload when every argument is known, and warns
// about anything that would keep the gate from counting the approval.
func (r *approvalResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var m approvalModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	st, ok := statementOf(m)
	if !ok {
		return // id and payload stay unknown until apply
	}
	payload, err := st.Payload()
	if err != nil {
		return // the attribute validators have reported it
	}
	id, _ := st.ID()
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("payload"), string(payload))...)
	if !req.State.Raw.IsNull() {
		// Every argument already forces replacement; should the payload of
		// unchanged arguments ever differ from the recorded one, replace
		// too, rather than update an approval in place.
		var prior types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("payload"), &prior)...)
		if prior.ValueString() != string(payload) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("payload"))
		}
	}

	var sigs []signatureModel
	if !m.Signatures.IsUnknown() && !m.Signatures.IsNull() {
		resp.Diagnostics.Append(m.Signatures.ElementsAs(ctx, &sigs, false)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.check(st, payload, sigs)...)
}

// check returns warnings for each reason the gate would not count the
// approval or one of its signatures, as far as the provider can tell.
func (r *approvalResource) check(st approval.Statement, payload []byte, sigs []signatureModel) diag.Diagnostics {
	var diags diag.Diagnostics
	now := time.Now
	var scope string
	var trust *trust.AllowedSigners
	if r.data != nil {
		now, scope, trust = r.data.now, r.data.scope, r.data.trust
	}
	at := now()

	if exp, err := approval.ParseExpiry(st.ExpiresAt); err == nil && !at.Before(exp) {
		diags.AddAttributeWarning(path.Root("expires_at"), "Approval has expired",
			fmt.Sprintf("expires_at %s is not after the current time %s, so the gate will not count this approval. "+
				"To approve the change, sign a new approval with a later expires_at.",
				st.ExpiresAt, at.UTC().Format(time.RFC3339)))
	}
	if scope != "" && st.Scope != scope {
		diags.AddAttributeWarning(path.Root("scope"), "Approval names another scope",
			fmt.Sprintf("This approval names scope %q, but the provider is configured with scope %q. "+
				"The gate counts only approvals naming its policy's scope.", st.Scope, scope))
	}

	for i, s := range sigs {
		if !known(s.Principal) || !known(s.Signature) {
			continue
		}
		principal, armored := s.Principal.ValueString(), s.Signature.ValueString()
		at := path.Root("signatures").AtListIndex(i)
		var err error
		if trust != nil {
			_, err = approval.VerifySignature(st, principal, armored, trust, now())
		} else {
			err = verifyOverPayload(principal, armored, payload)
		}
		if err == nil {
			if d := certificateOutlived(st, principal, armored, at); d != nil {
				diags.Append(d)
			}
			continue
		}
		var se *approval.SignatureError
		if !errors.As(err, &se) {
			continue
		}
		switch se.Kind {
		case approval.ProblemUntrusted:
			unless := fmt.Sprintf("its own allowed_signers lists this key for %q in namespace %s", principal, approval.Namespace)
			if parsed, err := sshsig.Parse(armored); err == nil {
				if _, ok := parsed.PublicKey.(*ssh.Certificate); ok {
					unless = fmt.Sprintf("the certificate names %q, is valid when the gate checks, is not revoked, and the gate's allowed_signers "+
						"has a cert-authority line for its CA and %q in namespace %s", principal, principal, approval.Namespace)
				}
			}
			diags.AddAttributeWarning(at.AtName("principal"), "Signature is not trusted",
				fmt.Sprintf("The signature of %q verifies, but the provider's allowed_signers does not trust it: %v. "+
					"The gate will not count it unless %s.", principal, se.Err, unless))
		default:
			diags.AddAttributeWarning(at.AtName("signature"), "Signature does not verify",
				fmt.Sprintf("The signature of %q does not verify over this approval's payload: %v. "+
					"The gate will not count it. Sign the planned payload with "+
					"ssh-keygen -Y sign -n %s; changing scope, target, action, reason, expires_at, identity, from or issued_at "+
					"changes the payload and needs new signatures.", principal, se.Err, approval.Namespace))
		}
	}
	return diags
}

// certificateOutlived warns when armored was made with a user certificate
// that expires before the approval does: a signature carries no trusted
// time, so the gate counts it only while the certificate is valid at the
// time of the check.
func certificateOutlived(st approval.Statement, principal, armored string, at path.Path) diag.Diagnostic {
	sig, err := sshsig.Parse(armored)
	if err != nil {
		return nil
	}
	cert, ok := sig.PublicKey.(*ssh.Certificate)
	if !ok || cert.ValidBefore == ssh.CertTimeInfinity {
		return nil
	}
	exp, err := approval.ParseExpiry(st.ExpiresAt)
	until := time.Unix(int64(min(cert.ValidBefore, 1<<62)), 0).UTC()
	if err != nil || !exp.After(until) {
		return nil
	}
	return diag.NewAttributeWarningDiagnostic(at.AtName("signature"), "Certificate expires before the approval",
		fmt.Sprintf("The signature of %q was made with certificate %q (serial %d), valid only until %s; this approval expires at %s. "+
			"A signature carries no trusted time: the gate counts it only while the certificate is valid when the gate checks, "+
			"so from %s this signature stops counting. Sign with a certificate valid until expires_at, or choose an earlier expires_at.",
			principal, cert.KeyId, cert.Serial, until.Format(time.RFC3339), st.ExpiresAt, until.Format(time.RFC3339)))
}

// verifyOverPayload checks, without any trust file, that armored is a sound
// SSHSIG over payload in the approval namespace by the key it embeds.
func verifyOverPayload(principal, armored string, payload []byte) error {
	sig, err := sshsig.Parse(armored)
	if err == nil {
		err = sig.Verify(payload, approval.Namespace)
	}
	if err != nil {
		return &approval.SignatureError{Principal: principal, Kind: approval.ProblemBadSignature, Err: err}
	}
	return nil
}

// statementOf returns the statement m describes, and false when some field
// is not yet known.
func statementOf(m approvalModel) (approval.Statement, bool) {
	for _, v := range []types.String{m.Scope, m.Target, m.Action, m.Reason, m.ExpiresAt} {
		if !known(v) {
			return approval.Statement{}, false
		}
	}
	if m.Identity.IsUnknown() || m.From.IsUnknown() || m.IssuedAt.IsUnknown() {
		return approval.Statement{}, false
	}
	return approval.Statement{
		Scope:     m.Scope.ValueString(),
		Target:    m.Target.ValueString(),
		Action:    m.Action.ValueString(),
		Reason:    m.Reason.ValueString(),
		ExpiresAt: m.ExpiresAt.ValueString(),
		Identity:  m.Identity.ValueString(), // "" when null
		From:      m.From.ValueString(),     // "" when null: no member
		IssuedAt:  m.IssuedAt.ValueString(), // "" when null: no member
	}, true
}

func (r *approvalResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m approvalModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	st, ok := statementOf(m)
	if !ok {
		resp.Diagnostics.AddError("Approval not fully known",
			"An argument of planguard_approval is still unknown at apply time. This is a bug in the provider or Terraform.")
		return
	}
	payload, err := st.Payload()
	if err != nil {
		resp.Diagnostics.AddError("Invalid approval", fmt.Sprintf("compute approval payload: %v", err))
		return
	}
	id, _ := st.ID()
	m.ID = types.StringValue(id)
	m.Payload = types.StringValue(string(payload))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read keeps the state as it is: an approval has no remote object.
func (r *approvalResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update is never called: every argument requires replacement.
func (r *approvalResource) Update(_ context.Context, _ resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("Unexpected update",
		"planguard_approval is immutable and every change replaces it, so Terraform should never update it in place. "+
			"This is a bug in the provider; please report it.")
}

// Delete forgets the approval: state removal is all there is.
func (r *approvalResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}
