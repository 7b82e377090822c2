package okmock_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func govStatus(t *testing.T, sb *mock.Sandbox) world.GovMark {
	p, err := sb.World.Page(world.NetworkOK, okmock.DefaultGroupID)
	require.NoError(t, err)
	return p.Gov
}

func TestGovMarkHeadlessConfirmedThenLostOnRename(t *testing.T) {
	sb := mock.Start(t)
	ctx := context.Background()
	unmet, err := sb.OK.GovConditions(okmock.DefaultGroupID, world.DefaultChiefOID)
	require.NoError(t, err)
	assert.Empty(t, unmet)
	mark, err := sb.OK.RequestGovMark(ctx, okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	assert.Equal(t, world.GovUnderReview, mark.Status)
	assert.Equal(t, "Рассматривается", okmock.GovStatusText(govStatus(t, sb)))
	// Every ESIA call of OK's side was served by the suite's tenant.
	var esiaCalls int
	for _, e := range sb.Journal.Entries(world.Filter{Party: "esia"}) {
		assert.Equal(t, mock.DefaultTenant, e.Tenant)
		esiaCalls++
	}
	assert.GreaterOrEqual(t, esiaCalls, 3)

	sb.Clock.Advance(govmark.DefaultReviewDelay - time.Minute)
	assert.Equal(t, world.GovUnderReview, govStatus(t, sb).Status)
	sb.Clock.Advance(time.Minute)
	assert.Equal(t, world.GovConfirmed, govStatus(t, sb).Status)

	c := newClient(t, sb)
	a := c.do("fb-get", "group.getInfo", map[string]string{"uids": strconv.FormatInt(okmock.DefaultGroupID, 10), "fields": "gos_org"})
	assert.Contains(t, string(a.body), `"gos_org":true`)
	reqs, err := okClient(t, sb).CheckGroup(ctx, strconv.FormatInt(okmock.DefaultGroupID, 10))
	require.NoError(t, err)
	assert.Empty(t, reqs.NotMet(), "the SDK's checklist sees the mark: %+v", reqs)

	require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.Title = "Новое имя"
		return nil
	}))
	assert.Equal(t, world.GovLost, govStatus(t, sb).Status)
}

func TestGovMarkRejectedWithReasonsAndOwnerChangeLoses(t *testing.T) {
	sb := mock.Start(t)
	ctx := context.Background()
	_, err := sb.OK.RequestGovMark(ctx, okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	// Between the request and the decision the group loses its city.
	require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.City = ""
		return nil
	}))
	sb.Clock.Advance(govmark.DefaultReviewDelay)
	g := govStatus(t, sb)
	assert.Equal(t, world.GovRejected, g.Status)
	assert.Equal(t, []string{okmock.CondCity}, g.Reasons)

	// The button is inactive while the conditions fail.
	unmet, err := sb.OK.GovConditions(okmock.DefaultGroupID, world.DefaultChiefOID)
	require.NoError(t, err)
	assert.Contains(t, unmet, okmock.CondCity)
	_, err = sb.OK.RequestGovMark(ctx, okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.ErrorIs(t, err, okmock.ErrConditions)

	// Fixed, requested again, confirmed; then the owner changes: lost.
	require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.City = "Архангельск"
		return nil
	}))
	_, err = sb.OK.RequestGovMark(ctx, okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	sb.Clock.Advance(govmark.DefaultReviewDelay)
	require.Equal(t, world.GovConfirmed, govStatus(t, sb).Status)
	require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.Admins = []world.PageAdmin{{PersonOID: world.DefaultEmployeeOID, Role: world.OKRoleAdmin}}
		return nil
	}))
	assert.Equal(t, world.GovLost, govStatus(t, sb).Status)
}

func TestGovMarkNeedsESIAAuthority(t *testing.T) {
	sb := mock.Start(t)
	// The employee is no administrator on ESIA: promote them on OK and
	// turn their Двойная защита on first.
	emp, err := sb.World.Person(world.DefaultEmployeeOID)
	require.NoError(t, err)
	a := emp.Accounts[world.NetworkOK]
	a.TwoFactor = true
	emp.Accounts[world.NetworkOK] = a
	require.NoError(t, sb.World.UpdatePerson(emp))
	require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.Admins = []world.PageAdmin{{PersonOID: world.DefaultChiefOID, Role: world.OKRoleAdmin},
			{PersonOID: world.DefaultEmployeeOID, Role: world.OKRoleSuperModerator}}
		return nil
	}))
	_, err = sb.OK.RequestGovMark(context.Background(), okmock.DefaultGroupID, world.DefaultEmployeeOID, world.DefaultMinistryOID)
	require.ErrorIs(t, err, govmark.ErrNoAuthority)
	assert.Equal(t, world.GovNone, govStatus(t, sb).Status)
	// An editor has no button at all.
	unmet, err := sb.OK.GovConditions(okmock.DefaultGroupID, world.DefaultEmployeeOID)
	require.NoError(t, err)
	assert.Empty(t, unmet)
	require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.Admins[1].Role = world.OKRoleEditor
		return nil
	}))
	unmet, _ = sb.OK.GovConditions(okmock.DefaultGroupID, world.DefaultEmployeeOID)
	assert.Equal(t, []string{okmock.CondRole}, unmet)
}

// TestGovMarkThroughTheSettingsPage walks the HTML flow a browser takes.
func TestGovMarkThroughTheSettingsPage(t *testing.T) {
	sb := mock.Start(t)
	cr := sb.Credentials.OK
	hc := sb.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	settings := sb.OKURL + "/group/" + strconv.FormatInt(okmock.DefaultGroupID, 10) + "/settings?access_token=" + url.QueryEscape(cr.AccessToken)
	get := func(u string) (int, string, string) {
		resp, err := hc.Get(u)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Location")
	}
	code, body, _ := get(settings)
	require.Equal(t, 200, code)
	assert.Contains(t, body, "Подтвердить через Госуслуги")
	assert.NotContains(t, body, "disabled")
	assert.Contains(t, body, "Не подтвержден")

	resp, err := hc.PostForm(settings, url.Values{"action": {"gosuslugi"}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	esiaURL := resp.Header.Get("Location")
	require.True(t, strings.HasPrefix(esiaURL, sb.ESIAURL), esiaURL)

	sb.ESIA.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultChiefOID, OrgOID: world.DefaultMinistryOID})
	code, _, callback := get(esiaURL)
	require.Equal(t, http.StatusFound, code)
	require.True(t, strings.HasPrefix(callback, sb.OKURL+"/gosuslugi/callback"), callback)
	code, _, back := get(callback)
	require.Equal(t, http.StatusFound, code)
	code, body, _ = get(sb.OKURL + back)
	require.Equal(t, 200, code)
	assert.Contains(t, body, "Рассматривается")
	assert.Contains(t, body, "disabled")

	// Control route reads the same.
	resp, err = hc.Get(sb.ControlURL + "/_mock/ok/gov?group_id=" + strconv.FormatInt(okmock.DefaultGroupID, 10))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(b), "Рассматривается")
}

func TestGovMarkControlRoute(t *testing.T) {
	sb := mock.Start(t)
	hc := sb.HTTPClient()
	body := `{"group_id":` + strconv.FormatInt(okmock.DefaultGroupID, 10) + `,"person_oid":` + strconv.FormatInt(world.DefaultChiefOID, 10) +
		`,"org_oid":` + strconv.FormatInt(world.DefaultMinistryOID, 10) + `}`
	resp, err := hc.Post(sb.ControlURL+"/_mock/ok/gov", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, string(b))
	assert.Contains(t, string(b), "under_review")
	sb.Clock.Advance(govmark.DefaultReviewDelay)
	assert.Equal(t, world.GovConfirmed, govStatus(t, sb).Status)
}

func TestGovMarkInASecondTenantStaysThere(t *testing.T) {
	sb := mock.Start(t)
	b, err := sb.CreateTenant("suite-gov", nil)
	require.NoError(t, err)
	_, err = b.OK.RequestGovMark(context.Background(), okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	b.Clock.Advance(govmark.DefaultReviewDelay)
	p, err := b.World.Page(world.NetworkOK, okmock.DefaultGroupID)
	require.NoError(t, err)
	assert.Equal(t, world.GovConfirmed, p.Gov.Status)
	assert.Equal(t, world.GovNone, govStatus(t, sb).Status, "the default tenant is untouched")
	assert.Empty(t, sb.Journal.Entries(world.Filter{Party: "esia"}), "OK's ESIA calls went to the suite's tenant")
	for _, e := range b.Journal.Entries(world.Filter{Party: "esia"}) {
		assert.Equal(t, "suite-gov", e.Tenant)
	}
	assert.NotEmpty(t, b.Journal.Entries(world.Filter{Party: "esia"}))
}

func TestResetDropsTopicsAndPendingDecisions(t *testing.T) {
	sb := mock.Start(t)
	c := newClient(t, sb)
	gid := strconv.FormatInt(okmock.DefaultGroupID, 10)
	at := sb.Clock.Now().Add(time.Hour)
	a := c.do("fb-post", "mediatopic.post", map[string]string{"type": "GROUP_THEME", "gid": gid,
		"attachment": `{"media":[{"type":"text","text":"x"}],"publishAtMs":` + strconv.FormatInt(at.UnixMilli(), 10) + `}`})
	require.Equal(t, 0, a.errCode(), string(a.body))
	_, err := sb.OK.RequestGovMark(context.Background(), okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	sb.Reset()
	assert.Empty(t, sb.OK.Topics(0))
	assert.Equal(t, world.GovNone, govStatus(t, sb).Status)
	sb.Clock.Advance(govmark.DefaultReviewDelay)
	assert.Equal(t, world.GovNone, govStatus(t, sb).Status, "the decision was cancelled with the reset")
	assert.Empty(t, sb.OK.Topics(0))
}

func TestSettingsPageButtonInactiveWhenConditionsFail(t *testing.T) {
	sb := mock.Start(t)
	require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.Open, p.PhotoURL = false, ""
		return nil
	}))
	cr := sb.Credentials.OK
	hc := sb.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	settings := sb.OKURL + "/group/" + strconv.FormatInt(okmock.DefaultGroupID, 10) + "/settings?access_token=" + url.QueryEscape(cr.AccessToken)
	resp, err := hc.Get(settings)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(b), `id="gosuslugi" type="submit" disabled`)
	assert.Contains(t, string(b), okmock.CondOpen)
	assert.Contains(t, string(b), okmock.CondPhoto)
	resp, err = hc.PostForm(settings, url.Values{"action": {"gosuslugi"}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusConflict, resp.StatusCode)
	// Without a valid session the page is refused.
	resp, err = hc.Get(sb.OKURL + "/group/" + strconv.FormatInt(okmock.DefaultGroupID, 10) + "/settings?access_token=MOCKnope")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, world.GovNone, govStatus(t, sb).Status)
}
