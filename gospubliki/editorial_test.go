package gospubliki_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// Organisations of the editorial tests: the default ministry (РОИВ) with
// its subordinate and a sibling subordinate, and another region's body
// with its own subordinate.
const (
	orgSibling     = 1000003
	orgOtherRegion = 2000001
	orgOtherSub    = 2000002
)

// hierarchy is a server over a world with two regional bodies and their
// subordinates, one cabinet (with its three users) per organisation.
type hierarchy struct {
	f                  *fixture
	ed, i1, i2, ed2, o cabinetUsers
}

func newHierarchy(t *testing.T) *hierarchy {
	t.Helper()
	w, err := world.New()
	require.NoError(t, err)
	for _, o := range []world.Organization{
		{OID: orgSibling, FullName: "ГБУ АО «Сосед»", Type: world.OrgAgency, AgencyType: world.AgencyGovernment, ParentOID: world.DefaultMinistryOID},
		{OID: orgOtherRegion, FullName: "Администрация МО", Type: world.OrgAgency, AgencyType: world.AgencyLocal},
		{OID: orgOtherSub, FullName: "МБУ «Другое»", Type: world.OrgAgency, AgencyType: world.AgencyMunicipal, ParentOID: orgOtherRegion},
	} {
		require.NoError(t, w.AddOrganization(o))
	}
	srv := gpmock.New(gpmock.WithWorld(w))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	f := &fixture{t: t, srv: srv, url: hs.URL}
	h := &hierarchy{f: f}
	n := 0
	seed := func(kind string, oid int64) cabinetUsers {
		n++
		cb, err := srv.AddCabinet(kind, oid, fmt.Sprint("Организация ", oid))
		require.NoError(t, err)
		cu := cabinetUsers{cabinet: cb}
		for i, p := range []struct {
			role string
			u    *gpmock.User
		}{{gpmock.RoleLKOAdmin, &cu.admin}, {gpmock.RoleEditor, &cu.editor}, {gpmock.RoleModerator, &cu.moderator}} {
			u, err := srv.AddUser(cb.ID, gpmock.User{Phone: fmt.Sprintf("+7977%03d%04d", n, i), Email: fmt.Sprintf("%s@%d.example", p.role, oid),
				Name: p.role, Role: p.role}, password)
			require.NoError(t, err)
			*p.u = u
		}
		return cu
	}
	h.ed = seed(gpmock.KindEditorial, world.DefaultMinistryOID)
	h.i1 = seed(gpmock.KindInstitution, world.DefaultSubordinateOID)
	h.i2 = seed(gpmock.KindInstitution, orgSibling)
	h.ed2 = seed(gpmock.KindEditorial, orgOtherRegion)
	h.o = seed(gpmock.KindInstitution, orgOtherSub)
	return h
}

func (h *hierarchy) submitted(cu cabinetUsers) int64 {
	return env{f: h.f, cu: cu}.post(gospubliki.PostSubmitted)
}

// TestEditorialOnlyForROIVAndOMSU: an editorial cabinet needs a regional
// executive body or a local self-government body.
func TestEditorialOnlyForROIVAndOMSU(t *testing.T) {
	h := newHierarchy(t)
	_, err := h.f.srv.AddCabinet(gpmock.KindEditorial, world.DefaultSubordinateOID, "ГБУ")
	require.ErrorContains(t, err, "РОИВ")
	_, err = h.f.srv.AddCabinet(gpmock.KindEditorial, 99999, "нет такой")
	require.ErrorContains(t, err, "unknown organisation")
	_, err = h.f.srv.AddCabinet(gpmock.KindInstitution, world.DefaultMinistryOID, "Минцифры: кабинет учреждения")
	require.NoError(t, err, "every organisation may have an institution cabinet")

	// The same rule holds for imported state.
	sc := world.DefaultScenario()
	st := gpmock.DefaultState()
	st.Cabinets[1].Kind = gpmock.KindEditorial // the subordinate institution
	require.NoError(t, gpmock.PutState(&sc, st))
	w, err := world.New()
	require.NoError(t, err)
	_ = gpmock.SectionOf(w)
	require.ErrorContains(t, w.Import(sc), "gospubliki.cabinets[1].kind")
}

// TestEditorialSeesSubordinates: the editorial cabinet lists, sees and
// moderates its subordinates' posts; an institution never sees the
// editorial cabinet's or a sibling's posts; another region sees none.
func TestEditorialSeesSubordinates(t *testing.T) {
	h := newHierarchy(t)
	ctx := context.Background()
	p1, p2, pe, po := h.submitted(h.i1), h.submitted(h.i2), h.submitted(h.ed), h.submitted(h.o)

	edMod := h.f.client(h.ed.moderator)
	subs, err := edMod.SubordinateCabinets(ctx)
	require.NoError(t, err)
	require.Len(t, subs, 2)
	require.Equal(t, []int64{h.i1.cabinet.ID, h.i2.cabinet.ID}, []int64{subs[0].ID, subs[1].ID})
	seen := map[int64]bool{}
	for p, err := range edMod.Posts(ctx, gospubliki.PostFilter{}) {
		require.NoError(t, err)
		seen[p.ID] = true
	}
	require.Equal(t, map[int64]bool{p1: true, p2: true, pe: true}, seen)
	a, err := edMod.ApprovePost(ctx, p1)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostApproved, a.Status)
	r, err := edMod.ReturnPost(ctx, p2, "Уточните дату")
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostReturned, r.Status)
	got, err := h.f.client(h.i1.editor).Post(ctx, p1)
	require.NoError(t, err)
	require.Equal(t, gospubliki.PostApproved, got.Status)

	// An institution: its own posts only.
	for _, u := range []gpmock.User{h.i1.editor, h.i1.moderator} {
		c := h.f.client(u)
		for _, id := range []int64{pe, p2, po} {
			_, err := c.Post(ctx, id)
			requireCode(t, err, gospubliki.CodeNotFound)
		}
		page, err := c.ListPosts(ctx, gospubliki.PostFilter{})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		require.Equal(t, p1, page.Items[0].ID)
		subs, err := c.SubordinateCabinets(ctx)
		require.NoError(t, err)
		require.Empty(t, subs)
	}
	_, err = h.f.client(h.i1.moderator).ReturnPost(ctx, h.submitted(h.i2), "чужое")
	requireCode(t, err, gospubliki.CodeNotFound)
	// Another region's editorial cabinet sees only its own subordinate.
	c := h.f.client(h.ed2.moderator)
	_, err = c.ApprovePost(ctx, h.submitted(h.i1))
	requireCode(t, err, gospubliki.CodeNotFound)
	page, err := c.ListPosts(ctx, gospubliki.PostFilter{})
	require.NoError(t, err)
	for _, p := range page.Items {
		require.Contains(t, []int64{h.ed2.cabinet.ID, h.o.cabinet.ID}, p.CabinetID)
	}
	// The moderation state machine still holds for the editorial view.
	_, err = edMod.ApprovePost(ctx, p1)
	requireCode(t, err, gospubliki.CodeInvalidTransition)
	// Users stay per cabinet: the editorial administrator manages only its
	// own users.
	_, err = h.f.client(h.ed.admin).User(ctx, h.i1.editor.ID)
	requireCode(t, err, gospubliki.CodeNotFound)
}

// TestNotifications: a submitted post is e-mailed to the moderators who
// see it, a decision to its author; settings choose e-mail, Telegram and
// the event types.
func TestNotifications(t *testing.T) {
	h := newHierarchy(t)
	ctx := context.Background()
	ob := h.f.srv.Outbox()
	mails := func(to string, after uint64) []world.Message {
		return ob.Messages(world.OutboxFilter{Party: gpmock.PartyName, Channel: world.ChannelEmail, To: to, AfterSeq: after})
	}
	ed := h.f.client(h.i1.editor)
	def, err := ed.NotificationSettings(ctx)
	require.NoError(t, err)
	require.True(t, def.Email)
	require.ElementsMatch(t, []string{gospubliki.EventPostSubmitted, gospubliki.EventPostReturned, gospubliki.EventPostApproved,
		gospubliki.EventUserInvited, gospubliki.EventTemplateCreated}, def.Events)

	mark := ob.Seq()
	p := h.submitted(h.i1)
	for _, u := range []gpmock.User{h.i1.moderator, h.ed.moderator} {
		m := mails(u.Email, mark)
		require.Len(t, m, 1, u.Email)
		require.Equal(t, "Публикация на модерации", m[0].Subject)
		require.Contains(t, m[0].Text, strconv.FormatInt(p, 10))
	}
	for _, u := range []gpmock.User{h.i2.moderator, h.ed2.moderator, h.o.moderator, h.i1.editor} {
		require.Empty(t, mails(u.Email, mark), u.Email)
	}

	// The author: Telegram only, for returned posts only.
	_, err = ed.SetNotificationSettings(ctx, gospubliki.NotificationSettings{TelegramChatID: 424242, Events: []string{gospubliki.EventPostReturned}})
	require.NoError(t, err)
	got, err := ed.NotificationSettings(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(424242), got.TelegramChatID)
	require.False(t, got.Email)
	_, err = ed.SetNotificationSettings(ctx, gospubliki.NotificationSettings{Events: []string{"post.unknown"}})
	requireCode(t, err, gospubliki.CodeInvalidRequest)

	mark = ob.Seq()
	_, err = h.f.client(h.ed.moderator).ApprovePost(ctx, p)
	require.NoError(t, err)
	require.Empty(t, mails(h.i1.editor.Email, mark), "approvals are not asked for")
	p2 := h.submitted(h.i1)
	mark = ob.Seq()
	_, err = h.f.client(h.i1.moderator).ReturnPost(ctx, p2, "Добавьте фото")
	require.NoError(t, err)
	tg := ob.Messages(world.OutboxFilter{Channel: world.ChannelTelegram, To: "424242", AfterSeq: mark})
	require.Len(t, tg, 1)
	require.Contains(t, tg[0].Text, "Добавьте фото")
	require.Empty(t, mails(h.i1.editor.Email, mark), "e-mail is off")

	// An invitation tells the cabinet's other administrators (none here
	// but the inviter, who is not told of their own action).
	mark = ob.Seq()
	_, err = h.f.client(h.i1.admin).InviteUser(ctx, gospubliki.InviteRequest{Phone: "+79770000999", Email: "inv@example.org", Role: gospubliki.RoleEditor})
	require.NoError(t, err)
	require.Len(t, mails("inv@example.org", mark), 1, "the invitation itself")
	require.Empty(t, mails(h.i1.admin.Email, mark))
}
