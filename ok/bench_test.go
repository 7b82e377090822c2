package ok_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/ok"
)

// BenchmarkSignature measures the signature of the published vector (4
// parameters) and of a mediatopic.post call (7 parameters with a
// Cyrillic attachment), and SecretFromToken.
//
//	go test ./ok/ -run '^$' -bench Signature -benchmem -count 6
func BenchmarkSignature(b *testing.B) {
	vec := vecParams()
	post := url.Values{
		"application_key": {appKey}, "format": {"json"}, "method": {"mediatopic.post"}, "type": {"GROUP_THEME"},
		"gid": {"70000001743248"}, "access_token": {token},
		"attachment": {`{"media":[{"type":"text","text":"Приём граждан переносится на четверг, 10:00."}],"onBehalfOfGroup":"true"}`},
	}
	b.Run("vector", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if ok.Signature(vec, vecTokenSecret) != vecSig {
				b.Fatal("bad signature")
			}
		}
	})
	b.Run("mediatopic.post", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = ok.Signature(post, vecTokenSecret)
		}
	})
	b.Run("secret-from-token", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = ok.SecretFromToken(token, appSecret)
		}
	})
}

var groupInfoAnswer = []byte(`[{"uid":"70000001743248","name":"Госуслуги","description":"Официальный канал портала государственных услуг",` +
	`"access_type":"OPEN","photo_id":"912345","city":"Москва","category":"Госорганизация","members_count":1250000,"gos_org":true}]`)

// BenchmarkGetGroupInfo compares group.getInfo through the client
// (typed request, signature, transport core with retries armed, limiter
// off, tolerant decoding) with a floor: a hand-written net/http call that
// signs the same parameters and decodes the same answer into a plain
// struct, against the same loopback server.
//
//	go test ./ok/ -run '^$' -bench GetGroupInfo -benchmem -count 6
func BenchmarkGetGroupInfo(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(groupInfoAnswer)
	}))
	b.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	fields := []string{"uid", "name", "description", "access_type", "photo_id", "city", "category", "members_count", "gos_org"}

	b.Run("client", func(b *testing.B) {
		c, err := ok.New(ok.Credentials{ApplicationKey: appKey, ApplicationSecretKey: appSecret, AccessToken: token},
			core.WithBaseURL(srv.URL), core.WithHTTPClient(srv.Client()), core.WithLimiter(nil))
		if err != nil {
			b.Fatal(err)
		}
		req := &ok.GetGroupInfoRequest{GroupIDs: []string{"70000001743248"}, Fields: fields}
		b.ReportAllocs()
		for b.Loop() {
			gs, err := c.GetGroupInfo(ctx, req)
			if err != nil || len(gs) != 1 || gs[0].GosOrg == nil {
				b.Fatal(gs, err)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		hc := srv.Client()
		type group struct {
			UID          string `json:"uid"`
			Name         string `json:"name"`
			Description  string `json:"description"`
			AccessType   string `json:"access_type"`
			PhotoID      string `json:"photo_id"`
			City         string `json:"city"`
			Category     string `json:"category"`
			MembersCount int64  `json:"members_count"`
			GosOrg       *bool  `json:"gos_org"`
		}
		secret := ok.SecretFromToken(token, appSecret)
		fieldList := strings.Join(fields, ",")
		b.ReportAllocs()
		for b.Loop() {
			signed := "application_key=" + appKey + "fields=" + fieldList + "format=json" + "method=group.getInfo" + "uids=70000001743248" + secret
			sum := md5.Sum([]byte(signed))
			form := url.Values{"application_key": {appKey}, "fields": {fieldList}, "format": {"json"}, "uids": {"70000001743248"},
				"sig": {hex.EncodeToString(sum[:])}, "access_token": {token}}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/fb.do?method=group.getInfo", strings.NewReader(form.Encode()))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			var gs []group
			if err := json.Unmarshal(body, &gs); err != nil || len(gs) != 1 {
				b.Fatal(err)
			}
		}
	})
}
