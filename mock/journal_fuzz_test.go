package mock

import (
	"net/url"
	"testing"
	"time"
)

// FuzzJournalFilter feeds arbitrary query strings to the journal query
// parser: it never panics, an accepted query round-trips its fields, and a
// refusal names the parameter at fault.
func FuzzJournalFilter(f *testing.F) {
	for _, s := range []string{
		"party=vk&method=wall.post&after=3&status=200",
		"since=2026-03-02T09:00:00Z&until=2026-03-02T10:00:00.5%2B03:00",
		"param=owner_id&value=-123", "since=yesterday", "after=-1", "tenant=x", "status=abc", "%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := journalFilter(q)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty refusal")
			}
			return
		}
		if flt.Party != q.Get("party") || flt.Method != q.Get("method") || flt.Param != q.Get("param") {
			t.Fatalf("fields lost: %+v from %q", flt, raw)
		}
		if v := q.Get("since"); v != "" {
			want, _ := time.Parse(time.RFC3339Nano, v)
			if !flt.Since.Equal(want) {
				t.Fatalf("since %v from %q", flt.Since, raw)
			}
		}
	})
}
