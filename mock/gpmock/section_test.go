package gpmock_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

const pw = "sandbox-password-1"

func newWorld(t *testing.T) (*world.World, *gpmock.Server, world.Scenario) {
	t.Helper()
	w, err := world.New(world.WithFrozenClock(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)), world.WithSections(gpmock.NewSection()))
	require.NoError(t, err)
	srv := gpmock.New(gpmock.WithWorld(w))
	sc := w.Export()
	org := sc.Organizations[0].OID
	st := gpmock.State{
		Cabinets: []gpmock.Cabinet{{ID: 1, Kind: gpmock.KindInstitution, OrgOID: org}},
		Users: []gpmock.StateUser{
			{User: gpmock.User{ID: 2, CabinetID: 1, Phone: "+79990001", Email: "a@x.ru", Role: gpmock.RoleLKOAdmin, Status: gpmock.StatusConfirmed}, Password: pw},
			{User: gpmock.User{ID: 3, CabinetID: 1, Phone: "+79990002", Email: "e@x.ru", Role: gpmock.RoleEditor, Status: gpmock.StatusConfirmed,
				PersonOID: sc.People[0].OID}, Password: pw},
		},
	}
	raw, err := json.Marshal(st)
	require.NoError(t, err)
	if sc.Sections == nil {
		sc.Sections = map[string]json.RawMessage{}
	}
	sc.Sections[gpmock.SectionName] = raw
	require.NoError(t, w.Import(sc))
	return w, srv, sc
}

func call(t *testing.T, h http.Handler, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	var out map[string]any
	if rec.Body.Len() > 0 {
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	}
	return rec.Code, out
}

func login(t *testing.T, h http.Handler, phone string) string {
	t.Helper()
	code, out := call(t, h, "POST", "/api/v1/auth/login", "", `{"phone":"`+phone+`","password":"`+pw+`"}`)
	require.Equal(t, http.StatusOK, code, out)
	return out["token"].(string)
}

func TestWorldSectionRoundTrip(t *testing.T) {
	w, srv, _ := newWorld(t)
	tok := login(t, srv, "+79990002")
	code, out := call(t, srv, "POST", "/api/v1/posts", tok, `{"text":"Новость","urgency":"red","targets":["vk:-1"]}`)
	require.Equal(t, http.StatusCreated, code, out)
	require.Equal(t, float64(4), out["id"]) // ids continue after the imported ones

	// Export with secrets carries the hash, never the password; without
	// secrets neither.
	_, err := srv.AddUser(1, gpmock.User{Phone: "+79990003", Email: "m@x.ru", Role: gpmock.RoleModerator}, "not-a-fixture-1")
	require.NoError(t, err)
	withSecrets := w.Export().Sections[gpmock.SectionName]
	require.Contains(t, string(withSecrets), `"password_hash":"$2a$`)
	require.NotContains(t, string(withSecrets), "not-a-fixture-1")
	require.Contains(t, string(withSecrets), `"password":"`+pw+`"`) // seeded fixtures stay as seeded
	require.Contains(t, string(withSecrets), "Новость")
	without := w.Export(world.WithoutSecrets()).Sections[gpmock.SectionName]
	require.NotContains(t, string(without), "password")

	// A world imported from the export keeps users able to log in and
	// the post, but no session.
	w2, err := world.New(world.WithEmptyScenario(), world.WithSections(gpmock.NewSection()))
	require.NoError(t, err)
	srv2 := gpmock.New(gpmock.WithWorld(w2))
	require.NoError(t, w2.Import(w.Export()))
	code, _ = call(t, srv2, "POST", "/api/v1/auth/login", "", `{"phone":"+79990003","password":"not-a-fixture-1"}`)
	require.Equal(t, http.StatusOK, code, "a hashed password survives the round trip")
	code, _ = call(t, srv2, "GET", "/api/v1/me", tok, "")
	require.Equal(t, http.StatusUnauthorized, code)
	tok2 := login(t, srv2, "+79990002")
	code, out = call(t, srv2, "GET", "/api/v1/posts/4", tok2, "")
	require.Equal(t, http.StatusOK, code, out)
	require.Equal(t, "red", out["urgency"])

	// Reset restores the imported scenario: the post and the session go.
	w.Reset()
	code, _ = call(t, srv, "GET", "/api/v1/me", tok, "")
	require.Equal(t, http.StatusUnauthorized, code)
	tok = login(t, srv, "+79990002")
	code, out = call(t, srv, "GET", "/api/v1/posts/4", tok, "")
	require.Equal(t, http.StatusNotFound, code)
	require.Equal(t, "not_found", out["error"].(map[string]any)["code"])
}

func TestWorldSessionExpiresOnWorldClock(t *testing.T) {
	w, srv, _ := newWorld(t)
	tok := login(t, srv, "+79990001")
	w.Clock.Advance(gpmock.DefaultSessionTTL - time.Minute)
	code, _ := call(t, srv, "GET", "/api/v1/me", tok, "")
	require.Equal(t, http.StatusOK, code)
	w.Clock.Advance(time.Minute)
	code, out := call(t, srv, "GET", "/api/v1/me", tok, "")
	require.Equal(t, http.StatusUnauthorized, code)
	require.Equal(t, "unauthenticated", out["error"].(map[string]any)["code"])
}

func TestWorldSectionValidation(t *testing.T) {
	w, srv, sc := newWorld(t)
	_, err := srv.AddCabinet(gpmock.KindEditorial, 987654321, "нет такой")
	require.Error(t, err)
	for name, st := range map[string]string{
		"unknown org":     `{"cabinets":[{"id":1,"kind":"institution","org_oid":987654321}]}`,
		"unknown kind":    `{"cabinets":[{"id":1,"kind":"bank","org_oid":ORG}]}`,
		"unknown cabinet": `{"cabinets":[{"id":1,"kind":"lko","org_oid":ORG}],"users":[{"id":2,"cabinet_id":9,"phone":"+1","email":"a@b","role":"editor","status":"invited"}]}`,
		"bad role":        `{"cabinets":[{"id":1,"kind":"lko","org_oid":ORG}],"users":[{"id":2,"cabinet_id":1,"phone":"+1","email":"a@b","role":"root","status":"invited"}]}`,
		"dup phone":       `{"cabinets":[{"id":1,"kind":"lko","org_oid":ORG}],"users":[{"id":2,"cabinet_id":1,"phone":"+1","email":"a@b","role":"editor","status":"invited"},{"id":3,"cabinet_id":1,"phone":"+1","email":"a@b","role":"editor","status":"invited"}]}`,
		"dup id":          `{"cabinets":[{"id":1,"kind":"lko","org_oid":ORG},{"id":1,"kind":"lko","org_oid":ORG}]}`,
		"unknown person":  `{"cabinets":[{"id":1,"kind":"lko","org_oid":ORG}],"users":[{"id":2,"cabinet_id":1,"phone":"+1","email":"a@b","role":"editor","status":"invited","person_oid":987654321}]}`,
		"bad post":        `{"cabinets":[{"id":1,"kind":"lko","org_oid":ORG}],"posts":[{"id":2,"cabinet_id":1,"status":"sent","urgency":"red"}]}`,
		"bad outcome":     `{"cabinets":[{"id":1,"kind":"lko","org_oid":ORG}],"posts":[{"id":2,"cabinet_id":1,"status":"published","urgency":"red","report":[{"target":"vk:-1","outcome":"maybe","attempts":1}]}]}`,
		"foreign media":   `{"cabinets":[{"id":1,"kind":"lko","org_oid":ORG}],"posts":[{"id":2,"cabinet_id":1,"status":"draft","urgency":"red","media":[7]}]}`,
		"bad community":   `{"cabinets":[{"id":1,"kind":"lko","org_oid":ORG}],"communities":[{"id":2,"cabinet_id":1,"network":"vk","page_id":"5"}]}`,
		"unknown field":   `{"cabinet":[]}`,
	} {
		raw := strings.ReplaceAll(st, "ORG", jsonInt(sc.Organizations[0].OID))
		err := gpmock.NewSection().Validate(json.RawMessage(raw), w)
		var fe *world.FieldError
		require.True(t, errors.As(err, &fe), "%s: %v", name, err)
	}
	// Seeding an id already there is a duplicate and changes nothing.
	before, _ := w.Section(gpmock.SectionName).Export(true)
	err = w.Section(gpmock.SectionName).Seed(json.RawMessage(`{"cabinets":[{"id":1,"kind":"lko","org_oid":`+jsonInt(sc.Organizations[0].OID)+`}]}`), w)
	require.ErrorIs(t, err, world.ErrDuplicate)
	after, _ := w.Section(gpmock.SectionName).Export(true)
	require.True(t, bytes.Equal(before, after))
}

func jsonInt(v int64) string { b, _ := json.Marshal(v); return string(b) }
