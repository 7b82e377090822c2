package ok_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
)

func statuses(rs social.Requirements) map[social.RequirementCode]social.RequirementStatus {
	m := map[social.RequirementCode]social.RequirementStatus{}
	for _, r := range rs {
		m[r.Code] = r.Status
	}
	return m
}

func TestCheckGroup(t *testing.T) {
	f := newFake(t)
	group := map[string]any{}
	f.on("group.getInfo", func(p url.Values) any {
		assert.Contains(t, p.Get("fields"), "access_type")
		return []any{group}
	})
	c := f.client()

	// A group meeting every condition the API shows.
	group = map[string]any{"uid": "1", "access_type": "OPEN", "photo_id": "9", "city": "Тула", "category": "Госорганизация",
		"description": "Официальная страница", "gos_org": "true"}
	rs, err := c.CheckGroup(context.Background(), "1")
	require.NoError(t, err)
	var codes []social.RequirementCode
	for _, r := range rs {
		codes = append(codes, r.Code)
	}
	assert.Equal(t, []social.RequirementCode{social.ReqOpen, social.ReqPhoto, social.ReqCity, social.ReqCategoryGovernment, social.ReqDescription,
		social.ReqAdminsTwoFactor, social.ReqGovMark}, codes)
	assert.Equal(t, []social.RequirementCode{"open", "photo", "city", "category_government", "description",
		"admins_two_factor", "gov_mark"}, codes, "the codes the other networks use")
	assert.Empty(t, rs.NotMet())
	require.Len(t, rs.Unverifiable(), 1)
	assert.Equal(t, social.ReqAdminsTwoFactor, rs.Unverifiable()[0].Code)
	assert.Contains(t, rs.Unverifiable()[0].Detail, social.CannotCheck)
	assert.False(t, rs.AllMet(), "2FA cannot be proven through the API")

	// A closed group without photo, city, description, with another topic.
	group = map[string]any{"uid": "1", "access_type": "CLOSED", "photo_id": "", "city": "", "category": "Спорт", "description": "", "gos_org": false}
	rs, err = c.CheckGroup(context.Background(), "1")
	require.NoError(t, err)
	st := statuses(rs)
	for _, code := range []social.RequirementCode{social.ReqOpen, social.ReqPhoto, social.ReqCity, social.ReqCategoryGovernment, social.ReqDescription, social.ReqGovMark} {
		assert.Equal(t, social.RequirementNotMet, st[code], code)
	}

	// Fields OK did not return are unverifiable, never guessed.
	group = map[string]any{"uid": "1", "pic_avatar": "https://i.mycdn.me/res/stub_128x96.gif"}
	rs, err = c.CheckGroup(context.Background(), "1")
	require.NoError(t, err)
	st = statuses(rs)
	assert.Equal(t, social.RequirementNotMet, st[social.ReqPhoto], "the placeholder avatar is no photo")
	for _, code := range []social.RequirementCode{social.ReqOpen, social.ReqCity, social.ReqCategoryGovernment, social.ReqDescription, social.ReqAdminsTwoFactor, social.ReqGovMark} {
		assert.Equal(t, social.RequirementUnverifiable, st[code], code)
	}

	// The accepted topic names are configurable.
	group = map[string]any{"uid": "1", "category": "Спорт"}
	c2 := f.client(ok.WithGovCategories("Спорт"))
	rs, err = c2.CheckGroup(context.Background(), "1")
	require.NoError(t, err)
	assert.Equal(t, social.RequirementMet, statuses(rs)[social.ReqCategoryGovernment])

	f.on("group.getInfo", func(url.Values) any { return apiError{Code: ok.CodeParamGroupID, Msg: "bad gid"} })
	_, err = c.CheckGroup(context.Background(), "1")
	assert.ErrorIs(t, err, ok.ErrNotFound)
}
