package planfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// State is what planguard reads from a state record (a saved plan's
// tfstate or tfstate-prev entry, a pinned state file, `terraform state
// pull`): its lineage and serial and its resource instance objects.
type State struct {
	// Lineage and Serial identify the state (tfstate-prev has neither).
	Lineage string
	Serial  uint64
	// Objects are the resource instance objects, managed and data, in the
	// order of the state.
	Objects []StateObject
}

// StateObject is one resource instance object of a state.
type StateObject struct {
	// Managed is false for a data resource.
	Managed bool
	// Address is the resource instance address, e.g.
	// module.a["x"].aws_db_instance.db[0] (data.… for a data resource).
	Address string
	// Type is the resource type.
	Type string
	// Deposed is the deposed key, "" for the current object.
	Deposed string
	// ID is attributes["id"] when it is a string, else "".
	ID string
	// Identity is the object's resource identity (Terraform 1.12+) as
	// compact JSON, or "".
	Identity string
}

// Key is the object's address and deposed key: what names it in a state.
func (o StateObject) Key() string {
	if o.Deposed == "" {
		return o.Address
	}
	return o.Address + " deposed " + o.Deposed
}

// ParseState reads a version 4 state. Empty (or white space) input is an
// empty state.
func ParseState(b []byte) (*State, error) {
	s := &State{}
	if len(bytes.TrimSpace(b)) == 0 {
		return s, nil
	}
	var st struct {
		Version   int    `json:"version"`
		Lineage   string `json:"lineage"`
		Serial    uint64 `json:"serial"`
		Resources []struct {
			Module    string `json:"module"`
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   json.RawMessage `json:"index_key"`
				Deposed    string          `json:"deposed"`
				Identity   json.RawMessage `json:"identity"`
				Attributes struct {
					ID json.RawMessage `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("not a state file: %w", err)
	}
	if st.Version != 4 {
		return nil, fmt.Errorf("state format version %d, not 4", st.Version)
	}
	s.Lineage, s.Serial = st.Lineage, st.Serial
	for _, r := range st.Resources {
		var managed bool
		switch r.Mode {
		case "managed":
			managed = true
		case "data":
		default:
			return nil, fmt.Errorf("resource %s.%s has mode %q (managed or data)", r.Type, r.Name, r.Mode)
		}
		if r.Type == "" || r.Name == "" {
			return nil, fmt.Errorf("a resource without type or name")
		}
		base := r.Type + "." + r.Name
		if !managed {
			base = "data." + base
		}
		if r.Module != "" {
			base = r.Module + "." + base
		}
		for _, in := range r.Instances {
			o := StateObject{Managed: managed, Address: base, Type: r.Type, Deposed: in.Deposed}
			if key := bytes.TrimSpace(in.IndexKey); len(key) > 0 && string(key) != "null" {
				o.Address += "[" + string(compact(key)) + "]"
			}
			var id string
			if json.Unmarshal(in.Attributes.ID, &id) == nil {
				o.ID = id
			}
			if idn := bytes.TrimSpace(in.Identity); len(idn) > 0 && string(idn) != "null" {
				o.Identity = string(compact(idn))
			}
			s.Objects = append(s.Objects, o)
		}
	}
	return s, nil
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return b
	}
	return bytes.TrimSpace(out.Bytes())
}

// String is o for messages: its address, deposed key and id.
func (o StateObject) String() string {
	var b strings.Builder
	b.WriteString(o.Key())
	if o.ID != "" {
		fmt.Fprintf(&b, " (id %q)", o.ID)
	}
	return b.String()
}
