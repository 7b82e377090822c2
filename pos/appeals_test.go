package pos_test

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/pos"
)

const (
	testBase     = "https://pos.test"
	testPassword = "s3cret-pass-77a1"
	testToken    = "tok-9f8e7d6c5b4a"
)

// fixture is a client over an httpmock transport whose token endpoint
// issues testToken (then testToken+"2", ...) and records the form.
type fixture struct {
	mt     *httpmock.MockTransport
	c      *pos.AppealsClient
	mu     sync.Mutex
	forms  []map[string]string
	issued int
	now    time.Time
}

func newFixture(t *testing.T, opts ...core.Option) *fixture {
	t.Helper()
	f := &fixture{mt: httpmock.NewMockTransport(), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	f.mt.RegisterResponder("POST", testBase+"/oauth/token", func(r *http.Request) (*http.Response, error) {
		require.NoError(t, r.ParseForm())
		form := map[string]string{"ct": r.Header.Get("Content-Type")}
		for k := range r.PostForm {
			form[k] = r.PostForm.Get(k)
		}
		f.mu.Lock()
		f.forms = append(f.forms, form)
		f.issued++
		tok := testToken
		if f.issued > 1 {
			tok += strings.Repeat("x", f.issued)
		}
		f.mu.Unlock()
		if form["password"] != testPassword {
			return httpmock.NewJsonResponse(401, map[string]any{"error": "invalid_grant", "error_description": "Bad credentials"})
		}
		return httpmock.NewJsonResponse(200, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": 3600})
	})
	clk := coretest.NewDriven(func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now },
		func(d time.Duration) { f.mu.Lock(); f.now = f.now.Add(d); f.mu.Unlock() })
	base := []core.Option{core.WithBaseURL(testBase), core.WithHTTPClient(&http.Client{Transport: f.mt}), core.WithClock(clk)}
	c, err := pos.NewAppealsClient(pos.Credentials{Username: "sys", Password: testPassword}, append(base, opts...)...)
	require.NoError(t, err)
	f.c = c
	return f
}

func (f *fixture) advance(d time.Duration) { f.mu.Lock(); f.now = f.now.Add(d); f.mu.Unlock() }

func bearer(t *testing.T, r *http.Request) string {
	t.Helper()
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

func TestAppealsTokenRequestEncoding(t *testing.T) {
	f := newFixture(t, pos.WithScope("appeals"))
	var auth string
	f.mt.RegisterResponder("GET", testBase+"/inbox-service/regions/all", func(r *http.Request) (*http.Response, error) {
		auth = bearer(t, r)
		return httpmock.NewJsonResponse(200, []map[string]any{{"id": 29, "name": "Архангельская область", "okato": "11", "coordinates": []float64{64.5, 40.5}}})
	})
	regions, err := f.c.Regions(context.Background())
	require.NoError(t, err)
	require.Len(t, regions, 1)
	assert.Equal(t, pos.Region{ID: 29, Name: "Архангельская область", OKATO: "11", Coordinates: json.RawMessage(`[64.5,40.5]`)}, regions[0])
	assert.Equal(t, testToken, auth)
	require.Len(t, f.forms, 1)
	assert.Equal(t, map[string]string{"ct": "application/x-www-form-urlencoded", "grant_type": "password", "username": "sys",
		"password": testPassword, "scope": "appeals"}, f.forms[0])
}

func TestAppealsTokenRefreshedBeforeExpiry(t *testing.T) {
	f := newFixture(t)
	var seen []string
	f.mt.RegisterResponder("GET", testBase+"/inbox-service/regions/all", func(r *http.Request) (*http.Response, error) {
		seen = append(seen, bearer(t, r))
		return httpmock.NewJsonResponse(200, []any{})
	})
	ctx := context.Background()
	_, err := f.c.Regions(ctx)
	require.NoError(t, err)
	f.advance(time.Hour - pos.TokenRefreshMargin - time.Second)
	_, err = f.c.Regions(ctx)
	require.NoError(t, err)
	f.advance(2 * time.Second) // now within the margin
	_, err = f.c.Regions(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{testToken, testToken, testToken + "xx"}, seen)
}

func TestAppealsRejectedTokenRenewedOnce(t *testing.T) {
	f := newFixture(t)
	var seen []string
	f.mt.RegisterResponder("POST", testBase+"/inbox-service/external-appeal-system/appeals", func(r *http.Request) (*http.Response, error) {
		seen = append(seen, bearer(t, r))
		if len(seen) == 1 {
			return httpmock.NewJsonResponse(401, map[string]any{"status": 401, "error": "Unauthorized", "message": "invalid_token"})
		}
		return httpmock.NewJsonResponse(200, map[string]any{"posId": 7, "status": "NEW", "statusText": "Новое",
			"history": []any{map[string]any{"status": "NEW", "statusText": "Новое", "createdAt": "2026-03-02T09:00:00Z"}}})
	})
	st, err := f.c.CreateAppeal(context.Background(), &pos.CreateAppealRequest{Description: "d", SubjectID: 1,
		OrganizationInfo: pos.OrganizationInfo{OGRN: "1"}})
	require.NoError(t, err)
	assert.EqualValues(t, 7, st.PosID)
	assert.Equal(t, []string{testToken, testToken + "xx"}, seen)
}

func TestAppealsCreateEncoding(t *testing.T) {
	f := newFixture(t)
	var body map[string]any
	var ct string
	f.mt.RegisterResponder("POST", testBase+"/inbox-service/external-appeal-system/appeals", func(r *http.Request) (*http.Response, error) {
		ct = r.Header.Get("Content-Type")
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		return httpmock.NewJsonResponse(200, map[string]any{"posId": 12, "status": "NEW", "statusText": "Новое", "history": []any{}})
	})
	_, err := f.c.CreateAppeal(context.Background(), &pos.CreateAppealRequest{Description: "Нет света", SubjectID: 1, SubsubjectID: 102,
		RegionID: 29, AttachmentIDs: []string{"f1"}, Location: "ул. Ленина, 1", CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		Applicant: pos.Applicant{EpguID: 1000, Name: "Иван"}, OrganizationInfo: pos.OrganizationInfo{OGRN: "1022900000000"}})
	require.NoError(t, err)
	assert.Equal(t, "application/json", ct)
	assert.Equal(t, map[string]any{"description": "Нет света", "createdAt": "2026-03-02T09:00:00Z", "subjectId": 1.0, "subsubjectId": 102.0,
		"regionId": 29.0, "attachmentIds": []any{"f1"}, "location": "ул. Ленина, 1",
		"applicant": map[string]any{"epguId": 1000.0, "name": "Иван"}, "organizationInfo": map[string]any{"ogrn": "1022900000000"}}, body)
}

func TestAppealsCreateNeverRetried(t *testing.T) {
	f := newFixture(t)
	n := 0
	f.mt.RegisterResponder("POST", testBase+"/inbox-service/external-appeal-system/appeals", func(r *http.Request) (*http.Response, error) {
		n++
		return httpmock.NewJsonResponse(503, map[string]any{"status": 503, "message": "Service Unavailable"})
	})
	_, err := f.c.CreateAppeal(context.Background(), &pos.CreateAppealRequest{Description: "d", SubjectID: 1,
		OrganizationInfo: pos.OrganizationInfo{OGRN: "1"}})
	assert.ErrorIs(t, err, core.ErrUnknownOutcome)
	assert.Equal(t, 1, n)
}

func TestAppealsCreateValidated(t *testing.T) {
	f := newFixture(t)
	for _, r := range []*pos.CreateAppealRequest{nil, {SubjectID: 1, OrganizationInfo: pos.OrganizationInfo{OGRN: "1"}},
		{Description: "d", OrganizationInfo: pos.OrganizationInfo{OGRN: "1"}}, {Description: "d", SubjectID: 1}} {
		_, err := f.c.CreateAppeal(context.Background(), r)
		assert.ErrorIs(t, err, pos.ErrInvalidAppeal)
	}
	assert.Zero(t, f.mt.GetTotalCallCount())
}

func TestAppealsUploadEncoding(t *testing.T) {
	f := newFixture(t)
	var name, data, ctype string
	f.mt.RegisterResponder("POST", testBase+"/inbox-service/filestorage", func(r *http.Request) (*http.Response, error) {
		mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		require.NoError(t, err)
		require.Equal(t, "multipart/form-data", mt)
		p, err := multipart.NewReader(r.Body, params["boundary"]).NextPart()
		require.NoError(t, err)
		b, _ := io.ReadAll(p)
		name, data, ctype = p.FileName(), string(b), p.Header.Get("Content-Type")
		require.Equal(t, "file", p.FormName())
		return httpmock.NewJsonResponse(200, map[string]any{"id": "abc", "name": name, "size": len(b)})
	})
	file, err := f.c.UploadFile(context.Background(), "scan.pdf", "application/pdf", []byte("%PDF-1.7"))
	require.NoError(t, err)
	assert.Equal(t, &pos.File{ID: "abc", Name: "scan.pdf", Size: 8}, file)
	assert.Equal(t, []string{"scan.pdf", "%PDF-1.7", "application/pdf"}, []string{name, data, ctype})
}

func TestAppealsReadsRetried(t *testing.T) {
	f := newFixture(t)
	n := 0
	f.mt.RegisterResponder("GET", testBase+"/appeal-service/external-appeal-system/appeals/5", func(r *http.Request) (*http.Response, error) {
		n++
		if n < 3 {
			return httpmock.NewStringResponse(502, "bad gateway"), nil
		}
		return httpmock.NewJsonResponse(200, map[string]any{"posId": 5, "status": "ANSWERED", "statusText": "Ответ направлен",
			"history": []any{map[string]any{"status": "ANSWERED", "createdAt": 1772442000000,
				"createdBy": map[string]any{"surname": "Петров", "position": "специалист"},
				"answer":    map[string]any{"answerType": "EXPLANATION", "comment": "Исправлено", "rejectReason": map[string]any{"id": 3, "name": "x"}}}}})
	})
	st, err := f.c.Appeal(context.Background(), 5)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	require.Len(t, st.History, 1)
	h := st.History[0]
	assert.Equal(t, time.UnixMilli(1772442000000).UTC(), h.CreatedAt.Time)
	assert.Equal(t, "Петров", h.CreatedBy.Surname)
	assert.Equal(t, "Исправлено", h.Answer.Comment)
	assert.EqualValues(t, 3, h.Answer.RejectReason.ID)
}

func TestAppealsWrongPasswordRedacted(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("POST", testBase+"/oauth/token", func(r *http.Request) (*http.Response, error) {
		_ = r.ParseForm()
		// A server that echoes the password must not leak it through the client.
		return httpmock.NewJsonResponse(401, map[string]any{"error": "invalid_grant", "error_description": "bad password " + r.PostForm.Get("password")})
	})
	c, err := pos.NewAppealsClient(pos.Credentials{Username: "sys", Password: testPassword},
		core.WithBaseURL(testBase), core.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c.Regions(context.Background())
	require.ErrorIs(t, err, pos.ErrAppealsAuth)
	assert.NotContains(t, err.Error(), testPassword)
	assert.Equal(t, "invalid_grant", core.ErrorCode(err))
}

func TestAppealsCredentialsRequired(t *testing.T) {
	for _, cr := range []pos.Credentials{{}, {Username: "u"}, {Password: "p"}} {
		_, err := pos.NewAppealsClient(cr)
		assert.ErrorIs(t, err, pos.ErrAppealsCredentials)
	}
}

func TestAppealsDefaultLimiterKey(t *testing.T) {
	var keys []string
	lim := limiterFunc(func(_ context.Context, key string) error { keys = append(keys, key); return nil })
	f := newFixture(t, core.WithLimiter(lim))
	f.mt.RegisterResponder("GET", testBase+"/inbox-service/regions/all", httpmock.NewStringResponder(200, "[]"))
	_, err := f.c.Regions(context.Background())
	require.NoError(t, err)
	want := pos.KeyPrefixSystem + core.Fingerprint("sys")
	assert.Equal(t, []string{want, want}, keys)
	for _, k := range keys {
		assert.NotContains(t, k, testPassword)
	}
}

type limiterFunc func(ctx context.Context, key string) error

func (f limiterFunc) Wait(ctx context.Context, key string) error { return f(ctx, key) }

func TestAppealsConcurrentCallsShareOneToken(t *testing.T) {
	f := newFixture(t)
	f.mt.RegisterResponder("GET", testBase+"/inbox-service/regions/all", httpmock.NewStringResponder(200, "[]"))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := f.c.Regions(context.Background())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, f.mt.GetCallCountInfo()["POST "+testBase+"/oauth/token"])
	assert.Equal(t, 8, f.mt.GetCallCountInfo()["GET "+testBase+"/inbox-service/regions/all"])
}

func TestAppealsSecondRefusalReturned(t *testing.T) {
	f := newFixture(t)
	n := 0
	f.mt.RegisterResponder("GET", testBase+"/inbox-service/regions/all", func(r *http.Request) (*http.Response, error) {
		n++
		return httpmock.NewJsonResponse(401, map[string]any{"status": 401, "error": "Unauthorized", "message": "invalid_token"})
	})
	_, err := f.c.Regions(context.Background())
	require.ErrorIs(t, err, pos.ErrAppealsAuth)
	assert.Equal(t, "invalid_token", core.ErrorCode(err))
	assert.Equal(t, 2, n, "one repeat with a new token, no more")
	assert.Equal(t, 2, f.mt.GetCallCountInfo()["POST "+testBase+"/oauth/token"])
}

func TestAppealsDefaultPacing(t *testing.T) {
	f := newFixture(t)
	f.mt.RegisterResponder("GET", testBase+"/inbox-service/regions/all", httpmock.NewStringResponder(200, "[]"))
	start := f.now
	// The token and 15 reads: 16 calls, 5 in the first burst, then 5 a
	// second on the client's clock.
	for range 15 {
		_, err := f.c.Regions(context.Background())
		require.NoError(t, err)
	}
	f.mu.Lock()
	waited := f.now.Sub(start)
	f.mu.Unlock()
	assert.InDelta(t, float64(11*time.Second/pos.DefaultAppealsRatePerSecond), float64(waited), float64(300*time.Millisecond))
}
