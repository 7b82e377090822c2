package mock

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gospubliki/gosdk/mock/world"
)

// FuzzFaultRule feeds arbitrary bodies to the fault-rule decoder and
// validator: a refused rule names its field and what is known; an accepted
// one names a party and method the sandbox serves and a known kind.
func FuzzFaultRule(f *testing.F) {
	sb, err := New()
	if err != nil {
		f.Fatal(err)
	}
	defer sb.Close()
	for _, s := range []string{
		`{"party":"telegram","method":"sendMessage","kind":"error","code":502}`,
		`{"party":"telgram","kind":"error","code":500}`,
		`{"party":"esia","method":"v3/te","kind":"truncate","latency":"15ms"}`,
		`{"method":"getMe","kind":"rate_limit","retry_after":3,"tenant":"default"}`,
		`{"party":"vk","method":"wall.post","params":{"owner_id":"-123"},"kind":"http_status","code":504}`,
		`{"party":"ok","kind":"http_status","code":302}`, `{"params":{"":"x"},"kind":"drop_after"}`,
		`{"kind":"explode"}`, `{"latency":"soon"}`, `[]`, `{"tenant":"other","kind":"drop_before"}`,
	} {
		f.Add([]byte(s))
	}
	t := sb.def
	f.Fuzz(func(tt *testing.T, data []byte) {
		rule, err := decodeRule(data)
		if err != nil {
			return
		}
		field, known, err := sb.checkRule(&rule, t)
		if err != nil {
			if field == "" || len(known) == 0 || !strings.HasPrefix(err.Error(), field+":") {
				tt.Fatalf("refusal %q names field %q, known %v", err, field, known)
			}
			return
		}
		if rule.Tenant != "" {
			tt.Fatalf("accepted rule keeps tenant %q", rule.Tenant)
		}
		if rule.Party != "" && !slices.Contains(sb.order, rule.Party) {
			tt.Fatalf("accepted unknown party %q", rule.Party)
		}
		if !slices.Contains(world.FaultKinds(), rule.Kind) {
			tt.Fatalf("accepted unknown kind %q", rule.Kind)
		}
		id, err := t.Faults.Add(rule)
		if err != nil {
			if !errors.Is(err, world.ErrInvalidRule) {
				tt.Fatalf("Add: %v", err)
			}
			return
		}
		t.Faults.Remove(id)
	})
}
