package posmock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func newWorld(t testing.TB) (*world.World, *posmock.Server) {
	t.Helper()
	w, err := world.New()
	require.NoError(t, err)
	srv := posmock.New(w)
	sc := world.DefaultScenario()
	require.NoError(t, posmock.PutSettings(&sc, posmock.DefaultSettings()))
	require.NoError(t, w.Import(sc))
	return w, srv
}

func TestParseRequest(t *testing.T) {
	cases := []struct{ method, target, want string }{
		{"GET", "/form/?opaId=1", "form"},
		{"GET", "/form?opaId=1", "form"},
		{"POST", "/form/", "form.submit"},
		{"GET", "/og/org-activities?reg_code=11", "og.org_activities"},
		{"GET", "/bin/script.min.js", "script"},
		{"POST", "/oauth/token", "api.token"},
		{"GET", "/inbox-service/regions/all", "api.regions"},
		{"GET", "/inbox-service/subjects/region/11/all", "api.subjects"},
		{"GET", "/inbox-service/subsubjects/subject/1/region/11", "api.subsubjects"},
		{"POST", "/inbox-service/filestorage", "api.filestorage"},
		{"POST", "/inbox-service/external-appeal-system/appeals", "api.appeal_create"},
		{"GET", "/appeal-service/external-appeal-system/appeals/5", "api.appeal_get"},
		{"DELETE", "/form/", "unknown"},
		{"GET", "/inbox-service/subjects/region/x/all", "unknown"},
	}
	for _, c := range cases {
		r := httptest.NewRequest(c.method, c.target, nil)
		assert.Equal(t, c.want, posmock.ParseRequest(r).Method, c.target)
	}
	r := httptest.NewRequest("POST", "/form/?utm_source=vk", strings.NewReader("opaId=7&description=a+b"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Authorization", "Bearer abc")
	req := posmock.ParseRequest(r)
	assert.Equal(t, "7", req.Params.Get("opaId"))
	assert.Equal(t, "a b", req.Params.Get("description"))
	assert.Equal(t, "vk", req.Params.Get("utm_source"))
	assert.Equal(t, "abc", req.Bearer)
	assert.Empty(t, posmock.ParseRequest(httptest.NewRequest("GET", "/appeal-service/external-appeal-system/appeals/5", nil)).Bearer)
}

func TestServerStandalone(t *testing.T) {
	w, srv := newWorld(t)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/form/?opaId=900001&utm_medium=11", nil))
	assert.Equal(t, 200, rec.Code)
	assert.Contains(t, rec.Body.String(), "ОГРН")
	assert.Equal(t, 1, w.Journal.Count("pos", "form"))
	_, err := srv.File(posmock.Appeal{OpaID: posmock.DefaultSubordinateOpaID, Description: "x"})
	assert.ErrorContains(t, err, "not connected")
	_, err = srv.File(posmock.Appeal{OpaID: 1, Description: "x"})
	assert.ErrorIs(t, err, posmock.ErrNoLKO)
	raw, err := srv.Section().Export(true)
	require.NoError(t, err)
	var st posmock.Settings
	require.NoError(t, json.Unmarshal(raw, &st))
	assert.Len(t, st.LKOs, 2+len(posmock.RegionLKOs(world.DefaultRegion())), "the ministry's, its subordinate's and the region's")
}

// FuzzRequest feeds arbitrary paths, queries and bodies through the
// parser and the whole emulator: nothing panics, every answer is a page
// or a JSON error, and an unknown path is a 404.
func FuzzRequest(f *testing.F) {
	f.Add("GET", "/form/", "opaId=900001&utm_source=vk", "")
	f.Add("POST", "/form/", "", "opaId=900001&description=x%20y")
	f.Add("GET", "/og/org-activities", "reg_code=7114", "")
	f.Add("GET", "/og/org-activities", "mun_code=11701000&utm_source=vk2", "")
	f.Add("GET", "/inbox-service/subsubjects/subject/1/region/11", "", "")
	f.Add("POST", "/oauth/token", "", "grant_type=password&username=mock-system&password=x")
	f.Add("POST", "/inbox-service/external-appeal-system/appeals", "", `{"description":"x"}`)
	_, srv := newWorld(f)
	f.Fuzz(func(t *testing.T, method, path, query, body string) {
		if method == "" || strings.ContainsAny(method, " \t\r\n()<>@,;:\\\"/[]?={}") || !strings.HasPrefix(path, "/") {
			return
		}
		u := &url.URL{Path: path, RawQuery: query}
		r, err := http.NewRequest(method, "http://pos.test"+u.RequestURI(), strings.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req := posmock.ParseRequest(r)
		if req.Method == "unknown" && !strings.HasPrefix(path, "/form") {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			if rec.Code != http.StatusNotFound {
				t.Fatalf("%s %s: unknown method answered %d", method, path, rec.Code)
			}
			return
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		if rec.Code >= 500 {
			t.Fatalf("%s %s?%s: %d %s", method, path, query, rec.Code, rec.Body)
		}
	})
}

// FuzzSectionValidate checks that any JSON is either refused with a field
// error or accepted, never a panic.
func FuzzSectionValidate(f *testing.F) {
	raw, _ := json.Marshal(posmock.DefaultSettings())
	f.Add(string(raw))
	f.Add(`{"lkos":[{"opa_id":1,"org_oid":1,"widget_sites":["x y"]}]}`)
	w, _ := newWorld(f)
	sec := posmock.NewSection()
	f.Fuzz(func(t *testing.T, s string) {
		err := sec.Validate(json.RawMessage(s), w)
		var fe *world.FieldError
		if err != nil && !assert.ErrorAs(t, err, &fe) {
			t.Fatalf("not a field error: %v", err)
		}
	})
}

func TestSectionValidatePaths(t *testing.T) {
	w, _ := newWorld(t)
	sec := posmock.NewSection()
	for raw, path := range map[string]string{
		`{"lkos":[{"opa_id":0,"org_oid":1}]}`:      "lkos[0].opa_id",
		`{"lkos":[{"opa_id":1,"org_oid":424242}]}`: "lkos[0].org_oid",
		`{"lkos":[{"opa_id":1,"org_oid":` + itoa(world.DefaultMinistryOID) + `,"widget_sites":["ftp://x"]}]}`: "lkos[0].widget_sites[0]",
		`{"systems":[{"username":"a","password":"prod"}]}`:                                                    "systems[0].password",
		`{"appeals":[{"id":1,"opa_id":5,"history":[{"status":"NEW"}]}]}`:                                      "appeals[0].opa_id",
	} {
		err := sec.Validate(json.RawMessage(raw), w)
		var fe *world.FieldError
		require.ErrorAs(t, err, &fe, raw)
		assert.Equal(t, path, fe.Path, raw)
	}
	assert.NoError(t, sec.Validate(nil, w))
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
