package gospubliki_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
)

// TestModerationStateMachine tries every action in every status: the
// legal moves land in the expected status, every other one is refused
// with invalid_transition and leaves the post unchanged.
func TestModerationStateMachine(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e := env{f: f, cu: f.a}
	ed, mod := f.client(f.a.editor), f.client(f.a.moderator)
	edit := gospubliki.PostInput{Text: gospubliki.Ptr("Правка")}
	actions := map[string]func(id int64) (*gospubliki.Post, error){
		"submit":         func(id int64) (*gospubliki.Post, error) { return ed.SubmitPost(ctx, id) },
		"approve":        func(id int64) (*gospubliki.Post, error) { return mod.ApprovePost(ctx, id) },
		"return":         func(id int64) (*gospubliki.Post, error) { return mod.ReturnPost(ctx, id, "Комментарий") },
		"editor edit":    func(id int64) (*gospubliki.Post, error) { return ed.UpdatePost(ctx, id, edit) },
		"moderator edit": func(id int64) (*gospubliki.Post, error) { return mod.UpdatePost(ctx, id, edit) },
	}
	legal := map[gospubliki.PostStatus]map[string]gospubliki.PostStatus{
		gospubliki.PostDraft:     {"submit": gospubliki.PostSubmitted, "editor edit": gospubliki.PostDraft},
		gospubliki.PostSubmitted: {"approve": gospubliki.PostApproved, "return": gospubliki.PostReturned, "moderator edit": gospubliki.PostSubmitted},
		gospubliki.PostReturned:  {"editor edit": gospubliki.PostEdited},
		gospubliki.PostEdited:    {"submit": gospubliki.PostSubmitted, "editor edit": gospubliki.PostEdited},
		gospubliki.PostApproved:  {},
	}
	for from, moves := range legal {
		for name, act := range actions {
			t.Run(string(from)+"/"+name, func(t *testing.T) {
				f.t = t
				id := e.post(from)
				before, err := ed.Post(ctx, id)
				require.NoError(t, err)
				got, err := act(id)
				if to, ok := moves[name]; ok {
					require.NoError(t, err)
					require.Equal(t, to, got.Status)
					return
				}
				ge := requireCode(t, err, gospubliki.CodeInvalidTransition)
				require.Equal(t, http.StatusConflict, ge.StatusCode)
				after, err := ed.Post(ctx, id)
				require.NoError(t, err)
				require.Equal(t, before, after)
			})
		}
	}
}

func TestModerationFlow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ed, mod := f.client(f.a.editor), f.client(f.a.moderator)
	at := f.clock.Now().Add(26 * time.Hour).UTC()
	p, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("Запись"), Urgency: gospubliki.Ptr(gospubliki.UrgencyOrange)})
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostDraft, p.Status)
	require.Equal(t, f.a.editor.ID, p.AuthorID)

	_, err = ed.SubmitPost(ctx, p.ID)
	requireCode(t, err, gospubliki.CodeInvalidRequest) // no target page yet

	_, err = ed.UpdatePost(ctx, p.ID, gospubliki.PostInput{Targets: []string{"vk:-5", "ok:7", "telegram:-1001"}, PublishAt: &at})
	require.NoError(t, err)
	_, err = ed.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	r, err := mod.ReturnPost(ctx, p.ID, "Добавьте адрес")
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostReturned, r.Status)
	require.Len(t, r.Comments, 1)
	require.Equal(t, "Добавьте адрес", r.Comments[0].Text)
	require.Equal(t, f.a.moderator.ID, r.Comments[0].AuthorID)
	require.True(t, r.Comments[0].At.Equal(f.clock.Now()))

	_, err = mod.ReturnPost(ctx, p.ID, "  ")
	requireCode(t, err, gospubliki.CodeInvalidRequest)

	ed2, err := ed.UpdatePost(ctx, p.ID, gospubliki.PostInput{Text: gospubliki.Ptr("Запись. Адрес: ул. Ленина, 1")})
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostEdited, ed2.Status)
	_, err = ed.SubmitPost(ctx, p.ID)
	require.NoError(t, err)
	a, err := mod.ApprovePost(ctx, p.ID)
	require.NoError(t, err)
	// Approved with a publish time: scheduled.
	require.Equal(t, gospubliki.PostScheduled, a.Status)
	require.Equal(t, gospubliki.UrgencyOrange, a.Urgency)
	require.Equal(t, []string{"vk:-5", "ok:7", "telegram:-1001"}, a.Targets)
	require.True(t, a.PublishAt.Equal(at))

	for _, bad := range []gospubliki.PostInput{
		{Urgency: gospubliki.Ptr(gospubliki.Urgency("blue"))},
		{Targets: []string{"facebook:1"}},
		{Targets: []string{"vk:abc"}},
		{Text: gospubliki.Ptr(" ")},
	} {
		q, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr("x")})
		require.NoError(t, err)
		_, err = ed.UpdatePost(ctx, q.ID, bad)
		requireCode(t, err, gospubliki.CodeInvalidRequest)
	}
}

// TestSessionExpiry: a session ends on the server's clock; an API token
// does not; logout ends a session at once.
func TestSessionExpiry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.anon()
	s, err := c.Login(ctx, f.a.admin.Phone, password)
	require.NoError(t, err)
	require.NotNil(t, s.ExpiresAt)
	require.True(t, s.ExpiresAt.Equal(f.clock.Now().Add(gpmock.DefaultSessionTTL)))
	tok, err := c.CreateToken(ctx)
	require.NoError(t, err)
	require.Nil(t, tok.ExpiresAt)
	integrator := f.anon(gospubliki.WithToken(tok.Token))

	f.clock.Advance(gpmock.DefaultSessionTTL - time.Second)
	_, err = c.Me(ctx)
	require.NoError(t, err)
	f.clock.Advance(time.Second)
	_, err = c.Me(ctx)
	requireCode(t, err, gospubliki.CodeUnauthenticated)

	f.clock.Advance(365 * 24 * time.Hour)
	me, err := integrator.Me(ctx)
	require.NoError(t, err)
	require.Equal(t, f.a.admin.ID, me.ID)

	c2 := f.client(f.a.editor)
	require.NoError(t, c2.Logout(ctx))
	_, err = c2.Me(ctx)
	requireCode(t, err, gospubliki.CodeUnauthenticated)
}

func TestLoginAndBlocking(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.anon()
	_, err := c.Login(ctx, f.a.editor.Phone, "wrong password 123")
	e := requireCode(t, err, gospubliki.CodeInvalidCredentials)
	require.Equal(t, http.StatusUnauthorized, e.StatusCode)
	require.NotContains(t, err.Error(), "wrong password")
	_, err = c.Login(ctx, "+70000000000", password)
	requireCode(t, err, gospubliki.CodeInvalidCredentials)

	// An invited user has no password yet.
	id := env{f: f, cu: f.a}.invited()
	admin := f.client(f.a.admin)
	u, err := admin.User(ctx, id)
	require.NoError(t, err)
	_, err = c.Login(ctx, u.Phone, "")
	requireCode(t, err, gospubliki.CodeInvalidCredentials)

	// Blocking ends the sessions of the user and refuses new ones.
	ed := f.client(f.a.editor)
	b, err := admin.BlockUser(ctx, f.a.editor.ID)
	require.NoError(t, err)
	require.Equal(t, gospubliki.UserBlocked, b.Status)
	_, err = ed.Me(ctx)
	requireCode(t, err, gospubliki.CodeUnauthenticated)
	_, err = f.anon().Login(ctx, f.a.editor.Phone, password)
	requireCode(t, err, gospubliki.CodeUserBlocked)
	_, err = admin.BlockUser(ctx, f.a.admin.ID)
	requireCode(t, err, gospubliki.CodeConflict)

	// Invitation validation.
	_, err = admin.InviteUser(ctx, gospubliki.InviteRequest{Phone: "+71", Email: "no-at", Role: gospubliki.RoleEditor})
	requireCode(t, err, gospubliki.CodeInvalidRequest)
	_, err = admin.InviteUser(ctx, gospubliki.InviteRequest{Phone: "+71", Email: "a@b.c", Role: "owner"})
	requireCode(t, err, gospubliki.CodeInvalidRequest)
	_, err = admin.InviteUser(ctx, gospubliki.InviteRequest{Phone: f.b.editor.Phone, Email: "a@b.c", Role: gospubliki.RoleEditor})
	requireCode(t, err, gospubliki.CodeConflict)
}

// TestSecretsNotShown: neither the client, a session nor an error shows
// a token or a password.
func TestSecretsNotShown(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.anon()
	s, err := c.Login(ctx, f.a.moderator.Phone, password)
	require.NoError(t, err)
	tok := f.anon(gospubliki.WithToken(s.Token))
	_, err = tok.Users(ctx)
	requireCode(t, err, gospubliki.CodeForbidden)
	for _, v := range []string{fmt.Sprint(c), fmt.Sprintf("%#v", tok), fmt.Sprint(s), fmt.Sprintf("%#v", *s), fmt.Sprintf("%+v", s), err.Error()} {
		require.NotContains(t, v, s.Token)
		require.NotContains(t, v, password)
	}
}

func TestListFiltersAndPagination(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ed := f.client(f.a.editor)
	start := f.clock.Now()
	var ids []int64
	for i := range 25 {
		u := []gospubliki.Urgency{gospubliki.UrgencyGreen, gospubliki.UrgencyOrange, gospubliki.UrgencyRed}[i%3]
		targets := []string{"vk:-1"}
		if i%4 == 0 {
			targets = append(targets, "ok:7")
		}
		p, err := ed.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr(fmt.Sprint("post ", i)), Urgency: &u, Targets: targets})
		require.NoError(t, err)
		if i%5 == 0 {
			_, err = ed.SubmitPost(ctx, p.ID)
			require.NoError(t, err)
		}
		ids = append(ids, p.ID)
		f.clock.Advance(time.Minute)
	}
	// Every post once, newest first, across pages of 4.
	var got []int64
	for p, err := range ed.Posts(ctx, gospubliki.PostFilter{Limit: 4}) {
		require.NoError(t, err)
		got = append(got, p.ID)
	}
	require.Len(t, got, 25)
	for i, id := range got {
		require.Equal(t, ids[24-i], id)
	}
	page, err := ed.ListPosts(ctx, gospubliki.PostFilter{Limit: 25})
	require.NoError(t, err)
	require.Empty(t, page.NextCursor)

	count := func(flt gospubliki.PostFilter) int {
		n := 0
		for p, err := range ed.Posts(ctx, flt) {
			require.NoError(t, err)
			if flt.Status != "" {
				require.Equal(t, flt.Status, p.Status)
			}
			if flt.Urgency != "" {
				require.Equal(t, flt.Urgency, p.Urgency)
			}
			if flt.Target != "" {
				require.Contains(t, p.Targets, flt.Target)
			}
			n++
		}
		return n
	}
	require.Equal(t, 5, count(gospubliki.PostFilter{Status: gospubliki.PostSubmitted, Limit: 2}))
	require.Equal(t, 9, count(gospubliki.PostFilter{Urgency: gospubliki.UrgencyGreen}))
	require.Equal(t, 2, count(gospubliki.PostFilter{Status: gospubliki.PostSubmitted, Urgency: gospubliki.UrgencyGreen})) // posts 0 and 15
	require.Equal(t, 10, count(gospubliki.PostFilter{From: start.Add(5 * time.Minute), To: start.Add(15 * time.Minute), Limit: 3}))
	require.Equal(t, 7, count(gospubliki.PostFilter{Target: "ok:7", Limit: 3}))                         // posts 0, 4, ..., 24
	require.Equal(t, 3, count(gospubliki.PostFilter{Target: "ok:7", Urgency: gospubliki.UrgencyGreen})) // posts 0, 12, 24
	require.Zero(t, count(gospubliki.PostFilter{Target: "telegram:-5"}))

	// Early break stops fetching; a bad argument is yielded once.
	n := 0
	for range ed.Posts(ctx, gospubliki.PostFilter{Limit: 2}) {
		n++
		if n == 3 {
			break
		}
	}
	require.Equal(t, 3, n)
	errs := 0
	for _, err := range ed.Posts(ctx, gospubliki.PostFilter{Cursor: "!!"}) {
		requireCode(t, err, gospubliki.CodeInvalidRequest)
		errs++
	}
	require.Equal(t, 1, errs)
	_, err = ed.ListPosts(ctx, gospubliki.PostFilter{Limit: 500})
	requireCode(t, err, gospubliki.CodeInvalidRequest)
	_, err = ed.ListPosts(ctx, gospubliki.PostFilter{Status: "bogus"})
	requireCode(t, err, gospubliki.CodeInvalidRequest)
	_, err = ed.ListPosts(ctx, gospubliki.PostFilter{Target: "myspace:1"})
	requireCode(t, err, gospubliki.CodeInvalidRequest)
}

func TestNewRequiresBaseURL(t *testing.T) {
	_, err := gospubliki.New()
	require.ErrorContains(t, err, "WithBaseURL")
	_, err = gospubliki.New(core.WithBaseURL("http://x"), gospubliki.WithToken("t"))
	require.NoError(t, err)
}
