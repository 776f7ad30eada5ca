package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/planguard/terraform-provider-planguard/internal/approval"
	"github.com/planguard/terraform-provider-planguard/internal/sshsig"
)

// fieldRules describes, for documentation, the rule approval.Statement.Validate
// applies to each field.
var fieldRules = map[string]string{
	"scope":      "must be 1 to 128 characters of letters, digits, `.`, `_` and `-`",
	"target":     "must be a managed resource instance address written as Terraform prints it in plans, e.g. `module.data.aws_db_instance.legacy[0]`",
	"reason":     "must be non-empty UTF-8 text of at most 4096 bytes",
	"expires_at": "must be an RFC 3339 time, e.g. `2026-12-01T00:00:00Z`",
	"identity":   "must be UTF-8 text of at most 1024 bytes",
	"from":       "must be a managed resource instance address written as Terraform prints it in plans, other than `target`; required with action `move`, not allowed with `provision`",
	"issued_at":  "must be an RFC 3339 time in UTC, e.g. `2026-11-24T09:30:00Z`, before `expires_at`",
}

// statementFieldValidator checks one field of an approval statement with
// exactly the rules of approval.Statement.Validate, which the gate applies
// too: it validates a statement whose other fields are known to be valid, so
// any error is about this field.
type statementFieldValidator struct {
	field string
}

var _ validator.String = statementFieldValidator{}

// statementField returns the validator for the statement field named field
// (scope, target, reason, expires_at, identity, from or issued_at).
func statementField(field string) statementFieldValidator {
	if _, ok := fieldRules[field]; !ok {
		panic("statementField: unknown field " + field)
	}
	return statementFieldValidator{field: field}
}

func (v statementFieldValidator) Description(ctx context.Context) string {
	return v.MarkdownDescription(ctx)
}

func (v statementFieldValidator) MarkdownDescription(context.Context) string {
	return "value " + fieldRules[v.field]
}

func (v statementFieldValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.field, err.Error())
	}
}

// check returns the approval package's verdict on value as the field.
func (v statementFieldValidator) check(value string) error {
	st := approval.Statement{
		Scope:     "s",
		Target:    "terraform_data.t",
		Action:    approval.ActionDelete,
		Reason:    "r",
		ExpiresAt: "2000-01-01T00:00:00Z",
	}
	switch v.field {
	case "scope":
		st.Scope = value
	case "target":
		// An action's address (for action invoke) or a resource instance
		// address; which one the action needs is the resource's
		// ValidateConfig's to report.
		if approval.CheckTarget(value, approval.ActionInvoke) == nil {
			return nil
		}
		st.Target = value
	case "reason":
		st.Reason = value
	case "expires_at":
		st.ExpiresAt = value
	case "identity":
		st.Identity = value
	case "from":
		// Checked alone: its relations to target and action are the
		// resource's ValidateConfig's to report.
		st.From = value
		if value == st.Target {
			st.Target = "terraform_data.u"
		}
	case "issued_at":
		// Checked alone: whether it is before expires_at is the resource's
		// ValidateConfig's to report.
		_, err := approval.ParseIssuedAt(value)
		return err
	}
	err := st.Validate()
	var fe *approval.FieldError
	if errors.As(err, &fe) {
		if fe.Field != v.field {
			// Cannot happen: the other fields are valid.
			return fmt.Errorf("internal error: validating %s reported %s: %w", v.field, fe.Field, fe.Err)
		}
		return fe.Err
	}
	return err
}

// sshsigValidator checks that a string decodes as an armored OpenSSH SSHSIG
// signature. Whether it verifies, and whether its key is trusted, is checked
// at plan time and by the gate.
type sshsigValidator struct{}

var _ validator.String = sshsigValidator{}

func (sshsigValidator) Description(ctx context.Context) string {
	return "value must be an armored OpenSSH signature: the whole output of `ssh-keygen -Y sign`"
}

func (v sshsigValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (sshsigValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := sshsig.Parse(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid signature",
			fmt.Sprintf("%v\n\nMake the signature with: ssh-keygen -Y sign -n %s -f KEY payload", err, approval.Namespace))
	}
}

// uniquePrincipalsValidator refuses a signatures list in which two entries
// name the same principal: each principal signs an approval once.
type uniquePrincipalsValidator struct{}

var _ validator.List = uniquePrincipalsValidator{}

func (uniquePrincipalsValidator) Description(context.Context) string {
	return "each principal may appear only once"
}

func (v uniquePrincipalsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (uniquePrincipalsValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	seen := map[string]int{}
	for i, elem := range req.ConfigValue.Elements() {
		obj, ok := elem.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		p, ok := obj.Attributes()["principal"].(types.String)
		if !ok || p.IsNull() || p.IsUnknown() {
			continue
		}
		name := p.ValueString()
		if first, dup := seen[name]; dup {
			resp.Diagnostics.AddAttributeError(req.Path.AtListIndex(i).AtName("principal"), "Duplicate principal",
				fmt.Sprintf("Principal %q already signs this approval in signatures[%d]. Each principal signs once; "+
					"remove one of the two entries.", name, first))
			continue
		}
		seen[name] = i
	}
}
