package gppg_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/internal/pgtest"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/gpmock/gppg"
)

const pw = "correct horse battery"

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

// TestServerRestartsOnPostgreSQL: a server on PostgreSQL is changed
// through the API; a new server on the same database and instance has its
// cabinets, users, sessions and posts, and another instance has none.
func TestServerRestartsOnPostgreSQL(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.Shared(t).NewDatabase(t))
	require.NoError(t, err)
	defer pool.Close()
	clk := coretest.NewClock(coretest.Epoch)
	open := func(instance string) *gpmock.Server {
		st, err := gppg.Open(ctx, pool, instance)
		require.NoError(t, err)
		srv, err := gpmock.Open(gpmock.WithClock(clk), gpmock.WithPostStore(st), gpmock.WithStateStore(st))
		require.NoError(t, err)
		return srv
	}
	srv := open("one")
	cab, err := srv.AddCabinet(gpmock.KindInstitution, 7, "Школа №1")
	require.NoError(t, err)
	for _, u := range []gpmock.User{{Phone: "+71", Email: "e@x.ru", Role: gpmock.RoleEditor}, {Phone: "+72", Email: "m@x.ru", Role: gpmock.RoleModerator}} {
		_, err := srv.AddUser(cab.ID, u, pw)
		require.NoError(t, err)
	}
	_, out := call(t, srv, "POST", "/api/v1/auth/login", "", `{"phone":"+71","password":"`+pw+`"}`)
	editor := out["token"].(string)
	_, out = call(t, srv, "POST", "/api/v1/auth/login", "", `{"phone":"+72","password":"`+pw+`"}`)
	moderator := out["token"].(string)
	var ids []float64
	for _, body := range []string{`{"text":"Первая","targets":["vk:-1"]}`, `{"text":"Вторая","urgency":"red","targets":["ok:2"]}`} {
		code, out := call(t, srv, "POST", "/api/v1/posts", editor, body)
		require.Equal(t, http.StatusCreated, code, out)
		ids = append(ids, out["id"].(float64))
	}
	code, out := call(t, srv, "POST", "/api/v1/posts/"+jsonNum(ids[1])+"/submit", editor, "")
	require.Equal(t, http.StatusOK, code, out)
	code, out = call(t, srv, "POST", "/api/v1/posts/"+jsonNum(ids[1])+"/return", moderator, `{"comment":"Уточните адрес"}`)
	require.Equal(t, http.StatusOK, code, out)

	again := open("one")
	code, out = call(t, again, "GET", "/api/v1/posts?status=returned", editor, "")
	require.Equal(t, http.StatusOK, code, out)
	items := out["items"].([]any)
	require.Len(t, items, 1)
	post := items[0].(map[string]any)
	require.Equal(t, "Вторая", post["text"])
	require.Equal(t, "Уточните адрес", post["comments"].([]any)[0].(map[string]any)["text"])
	code, out = call(t, again, "GET", "/api/v1/posts?target=vk:-1", moderator, "")
	require.Equal(t, http.StatusOK, code, out)
	require.Len(t, out["items"], 1)
	code, _ = call(t, again, "POST", "/api/v1/auth/login", "", `{"phone":"+72","password":"`+pw+`"}`)
	require.Equal(t, http.StatusOK, code)

	other := open("two")
	code, _ = call(t, other, "GET", "/api/v1/posts", editor, "")
	require.Equal(t, http.StatusUnauthorized, code, "another instance shares nothing")
	n, err := other.Section.Export(false)
	require.NoError(t, err)
	require.Nil(t, n)
}

// TestEntitiesAddedLaterArePersisted: communities, whose feature does
// nothing for storage, survive a restart with their sealed credentials,
// and the database holds no credential in clear.
func TestEntitiesAddedLaterArePersisted(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.Shared(t).NewDatabase(t))
	require.NoError(t, err)
	defer pool.Close()
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	open := func() *gpmock.Server {
		st, err := gppg.Open(ctx, pool, "one")
		require.NoError(t, err)
		srv, err := gpmock.Open(gpmock.WithCredentialKey(key), gpmock.WithPostStore(st), gpmock.WithStateStore(st),
			gpmock.WithNetworks(gpmock.Networks{Unavailable: []string{gpmock.NetworkVK, gpmock.NetworkOK, gpmock.NetworkTelegram}}))
		require.NoError(t, err)
		return srv
	}
	srv := open()
	cab, err := srv.AddCabinet(gpmock.KindInstitution, 7, "Школа №1")
	require.NoError(t, err)
	_, err = srv.AddUser(cab.ID, gpmock.User{Phone: "+71", Email: "a@x.ru", Role: gpmock.RoleLKOAdmin}, pw)
	require.NoError(t, err)
	_, out := call(t, srv, "POST", "/api/v1/auth/login", "", `{"phone":"+71","password":"`+pw+`"}`)
	admin := out["token"].(string)
	const bot = "123456:AAbot-token-never-in-clear"
	code, out := call(t, srv, "POST", "/api/v1/communities", admin,
		`{"network":"telegram","page_id":"-1001","name":"Канал","credentials":{"telegram_bot_token":"`+bot+`"}}`)
	require.Equal(t, http.StatusCreated, code, out)
	id := jsonNum(out["id"].(float64))

	var doc string
	require.NoError(t, pool.QueryRow(ctx, "SELECT doc::text FROM gospubliki_state WHERE instance = 'one'").Scan(&doc))
	require.Contains(t, doc, "communities")
	require.NotContains(t, doc, bot)
	require.NotContains(t, doc, admin)

	again := open()
	code, out = call(t, again, "GET", "/api/v1/communities/"+id, admin, "")
	require.Equal(t, http.StatusOK, code, out)
	require.Equal(t, "telegram:-1001", out["ref"])
	require.Equal(t, true, out["has_credentials"])
}

func jsonNum(f float64) string { b, _ := json.Marshal(f); return string(b) }
