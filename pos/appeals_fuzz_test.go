package pos_test

import (
	"encoding/json"
	"testing"

	"github.com/gospubliki/gosdk/pos"
)

// FuzzDecodeAppealStatus feeds the appeal decoder arbitrary answers: it
// never panics, and what it accepts has a posId and a status and encodes
// back to JSON.
func FuzzDecodeAppealStatus(f *testing.F) {
	for _, s := range []string{
		`{"posId":1,"status":"NEW","statusText":"Новое","history":[{"status":"NEW","statusText":"Новое","createdAt":"2026-03-02T09:00:00Z"}]}`,
		`{"posId":5,"status":"ANSWERED","history":[{"status":"ANSWERED","createdAt":1772442000000,"createdBy":{"surname":"П"},"answer":{"answerType":"X","rejectReason":{"id":3,"name":"x"}}}]}`,
		`{"posId":2,"status":"IN_WORK","history":[{"createdAt":"2026-03-02 09:00:00"},{"createdAt":null}]}`,
		`{"posId":0}`, `[]`, `null`, `{"posId":"1"}`, `{"posId":1,"status":"NEW","history":[{"createdAt":"bad"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := pos.DecodeAppealStatus(b)
		if err != nil {
			if st != nil {
				t.Fatal("a status with an error")
			}
			return
		}
		if st.PosID <= 0 || st.Status == "" {
			t.Fatalf("accepted %+v", st)
		}
		if _, err := json.Marshal(st); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
	})
}
