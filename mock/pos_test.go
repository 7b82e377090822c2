package mock_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func posDo(t *testing.T, method, u, ct string, body io.Reader, hdr ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	require.NoError(t, err)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

var posStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestPOSFormPages(t *testing.T) {
	sb := mock.Start(t, mock.WithFrozenClock(posStart))
	min, err := sb.World.Organization(world.DefaultMinistryOID)
	require.NoError(t, err)
	u := sb.POSURL + "/form/?opaId=" + strconv.FormatInt(posmock.DefaultMinistryOpaID, 10) +
		"&utm_source=vk&utm_medium=11&utm_campaign=" + min.OGRN
	st, body := posDo(t, "GET", u, "", nil)
	assert.Equal(t, 200, st)
	assert.Contains(t, body, `data-state="form"`)
	assert.Contains(t, body, min.FullName)
	assert.Contains(t, body, "ОГРН "+min.OGRN)
	assert.Contains(t, body, `name="utm_campaign" value="`+min.OGRN+`"`)
	e, ok := sb.Journal.Last(world.Filter{Party: "pos", Method: "form"})
	require.True(t, ok)
	assert.Equal(t, map[string]string{"opaId": "900001", "utm_source": "vk", "utm_medium": "11", "utm_campaign": min.OGRN}, e.Params)

	// The subordinate organisation's LKO is not connected for appeals.
	st, body = posDo(t, "GET", sb.POSURL+"/form/?opaId=900002", "", nil)
	assert.Equal(t, 200, st)
	assert.Contains(t, body, `data-state="not-connected"`)
	assert.Contains(t, body, posmock.TitleNotConnected)
	assert.NotContains(t, body, "<form")
	l, err := sb.POS.AppealsLKO(world.DefaultSubordinateOID)
	require.NoError(t, err)
	assert.Equal(t, posmock.DefaultMinistryOpaID, l.OpaID, "the subordinate uses its parent's LKO")

	for _, q := range []string{"opaId=123", "opaId=abc", "", "opaId=-1"} {
		st, body = posDo(t, "GET", sb.POSURL+"/form/?"+q, "", nil)
		assert.Equal(t, 404, st, q)
		assert.Contains(t, body, posmock.TitleUnknownOrg, q)
	}
	st, _ = posDo(t, "GET", sb.POSURL+"/nowhere", "", nil)
	assert.Equal(t, 404, st)
}

func TestPOSPollsAndScript(t *testing.T) {
	sb := mock.Start(t)
	min, _ := sb.World.Organization(world.DefaultMinistryOID)
	st, body := posDo(t, "GET", sb.POSURL+"/og/org-activities?reg_code=11&utm_source=vk1&utm_medium=11", "", nil)
	assert.Equal(t, 200, st)
	assert.Contains(t, body, `data-state="polls"`)
	assert.Contains(t, body, min.FullName)
	st, body = posDo(t, "GET", sb.POSURL+"/og/org-activities?mun_code="+min.OKTMO[:8], "", nil)
	assert.Equal(t, 200, st)
	assert.Contains(t, body, min.FullName)
	st, _ = posDo(t, "GET", sb.POSURL+"/og/org-activities?reg_code=45", "", nil)
	assert.Equal(t, 404, st, "no organisation of that region")
	st, _ = posDo(t, "GET", sb.POSURL+"/og/org-activities?reg_code=7114", "", nil)
	assert.Equal(t, 404, st, "a valid autonomous-okrug code with no organisation")
	for _, q := range []string{"reg_code=1", "reg_code=712", "mun_code=1170100", "mun_code=11701000&reg_code=11", "", "reg_code=%2011"} {
		st, _ = posDo(t, "GET", sb.POSURL+"/og/org-activities?"+q, "", nil)
		assert.Equal(t, 400, st, q)
	}
	e, ok := sb.Journal.Last(world.Filter{Party: "pos", Method: "og.org_activities", Param: "utm_source", ParamValue: "vk1"})
	require.True(t, ok)
	assert.Equal(t, "11", e.Params["reg_code"])

	st, body = posDo(t, "GET", sb.POSURL+"/bin/script.min.js", "", nil)
	assert.Equal(t, 200, st)
	assert.Contains(t, body, "g.Widget=Widget")
	assert.Contains(t, body, `"/?opaId="`)
	assert.Contains(t, body, "pos-banner-btn_2")
}

func TestPOSFormAppealOnWorldClock(t *testing.T) {
	sb := mock.Start(t, mock.WithFrozenClock(posStart))
	form := url.Values{"opaId": {"900001"}, "description": {"Яма на дороге"}, "surname": {"Иванов"}, "utm_source": {"vk"}}
	st, body := posDo(t, "POST", sb.POSURL+"/form/", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	require.Equal(t, 200, st, body)
	assert.Contains(t, body, `data-state="sent"`)
	assert.Contains(t, body, strconv.FormatInt(posmock.FirstAppealID, 10))
	as := sb.POS.Appeals(posmock.DefaultMinistryOpaID)
	require.Len(t, as, 1)
	assert.Equal(t, "form", as[0].Source)
	assert.Equal(t, "vk", as[0].UTM["utm_source"])
	assert.Equal(t, posmock.StatusNew, as[0].Status().Status)
	assert.Equal(t, posStart, as[0].CreatedAt)

	sb.Clock.Advance(time.Hour)
	a, ok := sb.POS.Appeal(as[0].ID)
	require.True(t, ok)
	assert.Equal(t, posmock.StatusInWork, a.Status().Status)
	sb.Clock.Advance(23 * time.Hour)
	a, _ = sb.POS.Appeal(as[0].ID)
	require.Len(t, a.History, 3)
	assert.Equal(t, posmock.StatusAnswered, a.Status().Status)
	assert.Equal(t, posStart.Add(24*time.Hour), a.History[2].CreatedAt)

	// Through the control route.
	var got []posmock.Appeal
	st, body = posDo(t, "GET", sb.ControlURL+"/_mock/pos/appeals?opa_id=900001", "", nil)
	require.Equal(t, 200, st)
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	require.Len(t, got, 1)
	assert.Len(t, got[0].History, 3)
	st, body = posDo(t, "GET", sb.ControlURL+"/_mock/pos/appeals?opa_id=900002", "", nil)
	assert.Equal(t, 200, st)
	assert.JSONEq(t, "[]", body)
	st, body = posDo(t, "POST", sb.ControlURL+"/_mock/pos/appeals", "application/json", strings.NewReader(`{"opa_id":900001,"description":"через control","applicant":{"surname":"Сидоров"}}`))
	require.Equal(t, 200, st, body)
	assert.Contains(t, body, `"status":"NEW"`)
	st, _ = posDo(t, "POST", sb.ControlURL+"/_mock/pos/appeals", "application/json", strings.NewReader(`{"opa_id":900002,"description":"x"}`))
	assert.Equal(t, 400, st, "not connected for appeals")
	st, _ = posDo(t, "POST", sb.ControlURL+"/_mock/pos/appeals", "application/json", strings.NewReader(`{"opa_id":1,"description":"x"}`))
	assert.Equal(t, 404, st)
	st, _ = posDo(t, "POST", sb.ControlURL+"/_mock/pos/appeals", "application/json", strings.NewReader(`{"bogus":1}`))
	assert.Equal(t, 400, st)
	require.Len(t, sb.POS.Appeals(0), 2)
	sb.Clock.Advance(time.Hour)
	assert.Equal(t, posmock.StatusInWork, sb.POS.Appeals(0)[1].Status().Status)

	// An empty description keeps the form; a not-connected LKO takes none.
	st, body = posDo(t, "POST", sb.POSURL+"/form/", "application/x-www-form-urlencoded", strings.NewReader("opaId=900001&description="))
	assert.Equal(t, 400, st)
	assert.Contains(t, body, "<form")
	st, _ = posDo(t, "POST", sb.POSURL+"/form/", "application/x-www-form-urlencoded", strings.NewReader("opaId=900002&description=x"))
	assert.Equal(t, 200, st)
	assert.Len(t, sb.POS.Appeals(0), 2)
}

func TestPOSControlLKOs(t *testing.T) {
	sb := mock.Start(t)
	st, body := posDo(t, "GET", sb.ControlURL+"/_mock/pos/lkos", "", nil)
	require.Equal(t, 200, st)
	var ls []posmock.LKO
	require.NoError(t, json.Unmarshal([]byte(body), &ls))
	require.Len(t, ls, 2+len(posmock.RegionLKOs(world.DefaultRegion())), "the ministry's, its subordinate's and the region's")
	assert.True(t, ls[0].Appeals && ls[0].Polls)
	assert.False(t, ls[1].Appeals)

	st, body = posDo(t, "PUT", sb.ControlURL+"/_mock/pos/lkos/900002/widget-sites", "application/json", strings.NewReader(`{"widget_sites":["https://ccs29.example/"]}`))
	require.Equal(t, 200, st, body)
	l, err := sb.POS.LKO(posmock.DefaultSubordinateOpaID)
	require.NoError(t, err)
	assert.Equal(t, []string{"https://ccs29.example/"}, l.WidgetSites)
	st, body = posDo(t, "GET", sb.ControlURL+"/_mock/pos/lkos/900002", "", nil)
	assert.Equal(t, 200, st)
	assert.Contains(t, body, "ccs29.example")
	st, body = posDo(t, "PUT", sb.ControlURL+"/_mock/pos/lkos/900002/widget-sites", "application/json", strings.NewReader(`{"widget_sites":["not a url"]}`))
	assert.Equal(t, 400, st)
	assert.Contains(t, body, "widget_sites[0]")
	st, _ = posDo(t, "PUT", sb.ControlURL+"/_mock/pos/lkos/42/widget-sites", "application/json", strings.NewReader(`{"widget_sites":[]}`))
	assert.Equal(t, 404, st)
	st, _ = posDo(t, "GET", sb.ControlURL+"/_mock/pos/lkos/x", "", nil)
	assert.Equal(t, 400, st)

	// The export table.
	st, body = posDo(t, "GET", sb.ControlURL+"/_mock/pos/export.csv", "", nil)
	require.Equal(t, 200, st)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	require.NoError(t, err)
	// A row per organisation: the header, the ministry, its subordinate
	// and the region's organisations.
	require.Len(t, rows, 3+len(world.DefaultRegion().Organizations))
	assert.Equal(t, posmock.DefaultExportHeader.OGRN, rows[0][0])
	assert.Equal(t, posmock.DefaultExportHeader.WidgetSites, rows[0][9])
	min, _ := sb.World.Organization(world.DefaultMinistryOID)
	sub, _ := sb.World.Organization(world.DefaultSubordinateOID)
	assert.Equal(t, []string{min.OGRN, min.FullName, "900001", "Да", "Да", min.OKATO, min.OKTMO, "", "", "https://minsvyaz29.example/; https://vk.com/minsvyaz29"}, rows[1])
	assert.Equal(t, []string{sub.OGRN, sub.FullName, "900002", "Нет", "Нет", sub.OKATO, sub.OKTMO, "900001", min.OGRN, "https://ccs29.example/"}, rows[2])
	// The city's school has no LKO connected: its upper LKO is the city's.
	city, _ := sb.World.Organization(world.DefaultCityOID)
	school, _ := sb.World.Organization(world.DefaultCitySchoolOID)
	i := slices.IndexFunc(rows, func(r []string) bool { return r[0] == school.OGRN })
	require.Positive(t, i)
	assert.Equal(t, []string{"Нет", "Нет", school.OKATO, school.OKTMO, "910101", city.OGRN}, rows[i][3:9])
}

func posToken(t *testing.T, base string, c mock.POSCredentials) string {
	t.Helper()
	form := url.Values{"grant_type": {"password"}, "username": {c.Username}, "password": {c.Password}, "scope": {"any"}}
	st, body := posDo(t, "POST", base+"/oauth/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	require.Equal(t, 200, st, body)
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &tok))
	assert.Equal(t, 3600, tok.ExpiresIn)
	return tok.AccessToken
}

func TestPOSAppealsAPI(t *testing.T) {
	sb := mock.Start(t, mock.WithFrozenClock(posStart))
	c := sb.Credentials.POS
	require.Equal(t, sb.POSURL+"/oauth/token", c.TokenURL)
	st, body := posDo(t, "POST", sb.POSURL+"/oauth/token", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"grant_type": {"password"}, "username": {c.Username}, "password": {"MOCKwrong"}}.Encode()))
	assert.Equal(t, 401, st)
	assert.NotContains(t, body, c.Password)
	e, _ := sb.Journal.Last(world.Filter{Party: "pos", Method: "api.token"})
	assert.NotContains(t, e.Params, "password", "passwords are never journalled")

	tok := posToken(t, sb.POSURL, c)
	auth := []string{"Authorization", "Bearer " + tok}
	st, _ = posDo(t, "GET", sb.POSURL+"/inbox-service/regions/all", "", nil)
	assert.Equal(t, 401, st, "no token")
	st, body = posDo(t, "GET", sb.POSURL+"/inbox-service/regions/all", "", nil, auth...)
	require.Equal(t, 200, st)
	assert.JSONEq(t, `[{"id":11,"name":"Регион 11","okato":"11"}]`, body)
	st, body = posDo(t, "GET", sb.POSURL+"/inbox-service/subjects/region/11/all", "", nil, auth...)
	require.Equal(t, 200, st)
	assert.Contains(t, body, `"Дороги"`)
	st, _ = posDo(t, "GET", sb.POSURL+"/inbox-service/subjects/region/45/all", "", nil, auth...)
	assert.Equal(t, 404, st)
	st, body = posDo(t, "GET", sb.POSURL+"/inbox-service/subsubjects/subject/1/region/11", "", nil, auth...)
	require.Equal(t, 200, st)
	assert.Contains(t, body, `"id":101`)

	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "photo.jpg")
	_, _ = fw.Write([]byte("jpeg"))
	require.NoError(t, mw.Close())
	st, body = posDo(t, "POST", sb.POSURL+"/inbox-service/filestorage", mw.FormDataContentType(), &mp, auth...)
	require.Equal(t, 200, st, body)
	var file struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &file))

	// An appeal to the subordinate organisation reaches the ministry's LKO.
	sub, _ := sb.World.Organization(world.DefaultSubordinateOID)
	in := map[string]any{"description": "Не работает сайт", "subjectId": 1, "subsubjectId": 101, "regionId": 11,
		"attachmentIds": []string{file.ID}, "organizationInfo": map[string]string{"ogrn": sub.OGRN},
		"applicant": map[string]any{"epguId": 1000, "surname": "Петров"}}
	raw, _ := json.Marshal(in)
	st, body = posDo(t, "POST", sb.POSURL+"/inbox-service/external-appeal-system/appeals", "application/json", bytes.NewReader(raw), auth...)
	require.Equal(t, 200, st, body)
	var created posmock.AppealStatus
	require.NoError(t, json.Unmarshal([]byte(body), &created))
	assert.Equal(t, posmock.StatusNew, created.Status)
	as := sb.POS.Appeals(posmock.DefaultMinistryOpaID)
	require.Len(t, as, 1)
	assert.Equal(t, world.DefaultMinistryOID, as[0].OrgOID)
	assert.Equal(t, []string{file.ID}, as[0].Attachments)

	sb.Clock.Advance(2 * time.Hour)
	st, _ = posDo(t, "GET", sb.POSURL+"/inbox-service/regions/all", "", nil, auth...)
	assert.Equal(t, 401, st, "the token expired on the world clock")
	auth = []string{"Authorization", "Bearer " + posToken(t, sb.POSURL, c)}
	st, body = posDo(t, "GET", sb.POSURL+"/appeal-service/external-appeal-system/appeals/"+strconv.FormatInt(created.PosID, 10), "", nil, auth...)
	require.Equal(t, 200, st, body)
	var got posmock.AppealStatus
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	assert.Equal(t, posmock.StatusInWork, got.Status)
	assert.Len(t, got.History, 2)
	st, _ = posDo(t, "GET", sb.POSURL+"/appeal-service/external-appeal-system/appeals/1", "", nil, auth...)
	assert.Equal(t, 404, st)

	for _, bad := range []string{`{`, `{"description":"x","subjectId":1,"organizationInfo":{"ogrn":"1"}}`,
		`{"description":"x","subjectId":99,"organizationInfo":{"ogrn":"` + sub.OGRN + `"}}`,
		`{"description":"x","subjectId":1,"attachmentIds":["nope"],"organizationInfo":{"ogrn":"` + sub.OGRN + `"}}`} {
		st, _ = posDo(t, "POST", sb.POSURL+"/inbox-service/external-appeal-system/appeals", "application/json", strings.NewReader(bad), auth...)
		assert.Contains(t, []int{400, 404}, st, bad)
	}

}

func TestPOSTenantIsolation(t *testing.T) {
	sb := mock.Start(t)
	tn, err := sb.CreateTenant("suite-b", nil)
	require.NoError(t, err)
	a, b := sb.Credentials.POS, tn.Credentials().POS
	require.NotEqual(t, a.Password, b.Password)
	require.NotEqual(t, a.Username, b.Username)
	tokB := posToken(t, sb.POSURL, b)
	lb, err := tn.POS.LKOOf(world.DefaultMinistryOID)
	require.NoError(t, err)
	_, err = tn.POS.File(posmock.Appeal{OpaID: lb.OpaID, Description: "b only"})
	require.NoError(t, err)
	assert.Empty(t, sb.POS.Appeals(0), "the default tenant sees none of suite-b's appeals")
	st, body := posDo(t, "GET", sb.POSURL+"/appeal-service/external-appeal-system/appeals/"+strconv.FormatInt(posmock.FirstAppealID, 10), "", nil, "Authorization", "Bearer "+tokB)
	assert.Equal(t, 200, st, "suite-b's token reaches suite-b's world")
	assert.Contains(t, body, `"posId"`)
	_, ok := sb.Journal.Last(world.Filter{Party: "pos", Method: "api.appeal_get"})
	assert.False(t, ok, "the call is journalled in suite-b's world")
	_, ok = tn.Journal.Last(world.Filter{Party: "pos", Method: "api.appeal_get"})
	assert.True(t, ok)
}

func TestPOSSectionValidation(t *testing.T) {
	sb := mock.Start(t)
	sc := sb.World.Export()
	st, err := posmock.SettingsOf(sc)
	require.NoError(t, err)
	st.LKOs[1].OpaID = st.LKOs[0].OpaID
	require.NoError(t, posmock.PutSettings(&sc, st))
	err = sb.World.Import(sc)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pos.lkos[1].opa_id")

	st.LKOs[1].OpaID = 7
	st.Systems[0].Password = "realpassword"
	require.NoError(t, posmock.PutSettings(&sc, st))
	err = sb.World.Import(sc)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pos.systems[0].password")
	assert.NotContains(t, err.Error(), "realpassword")

	// Reset brings the seeded section back.
	_, err = sb.POS.SetWidgetSites(posmock.DefaultMinistryOpaID, nil)
	require.NoError(t, err)
	sb.World.Reset()
	l, err := sb.POS.LKO(posmock.DefaultMinistryOpaID)
	require.NoError(t, err)
	assert.Len(t, l.WidgetSites, 2)
	exp := sb.World.Export(world.WithoutSecrets())
	assert.NotContains(t, string(exp.Sections["pos"]), sb.Credentials.POS.Password, "no secrets in a plain export")
}

func TestPOSFormTenantHeader(t *testing.T) {
	sb := mock.Start(t)
	tn, err := sb.CreateTenant("suite-b", nil)
	require.NoError(t, err)
	lb, err := tn.POS.LKOOf(world.DefaultMinistryOID)
	require.NoError(t, err)
	require.NotEqual(t, posmock.DefaultMinistryOpaID, lb.OpaID, "each tenant's opaIds are its own")
	opa := strconv.FormatInt(lb.OpaID, 10)
	st, body := posDo(t, "GET", sb.POSURL+"/form/?opaId="+opa, "", nil)
	require.Equal(t, 200, st, body)
	assert.Contains(t, body, `data-state="form"`, "the form link reaches suite-b's world without a header")
	st, _ = posDo(t, "GET", sb.POSURL+"/form/?opaId="+opa, "", nil, mock.TenantHeader, "default")
	assert.Equal(t, 401, st, "X-Mock-Tenant may not name another tenant")
	form := url.Values{"opaId": {opa}, "description": {"b"}, "utm_source": {"vk"}}
	st, body = posDo(t, "POST", sb.POSURL+"/form/", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), mock.TenantHeader, "suite-b")
	require.Equal(t, 200, st, body)
	assert.Len(t, tn.POS.Appeals(0), 1)
	assert.Empty(t, sb.POS.Appeals(0))
	e, ok := tn.Journal.Last(world.Filter{Party: "pos", Method: "form.submit"})
	require.True(t, ok)
	assert.Equal(t, "suite-b", e.Tenant)
	assert.Equal(t, "vk", e.Params["utm_source"])

	// Export and import carry the section, appeals included.
	sc := tn.World.Export()
	w2, err := world.New()
	require.NoError(t, err)
	require.NoError(t, w2.Register(posmock.NewSection()))
	sc.Sections = map[string]json.RawMessage{posmock.SectionName: sc.Sections[posmock.SectionName]}
	require.NoError(t, w2.Import(sc))
	st2, err := posmock.SettingsOf(w2.Export())
	require.NoError(t, err)
	require.Len(t, st2.Appeals, 1)
	assert.Equal(t, "b", st2.Appeals[0].Description)
}

// TestPOSPublicPagesPerTenant: the polls page and the widget script carry
// no LKO, so the tenant header routes them; without it they are the
// default tenant's, and a header naming no tenant is refused.
func TestPOSPublicPagesPerTenant(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("pos"))
	other, err := sb.CreateTenant("other", nil)
	require.NoError(t, err)
	before := sb.Journal.Seq()
	st, body := posDo(t, "GET", sb.POSURL+"/og/org-activities?reg_code=11", "", nil, "X-Mock-Tenant", "other")
	require.Equal(t, http.StatusOK, st, body)
	st, _ = posDo(t, "GET", sb.POSURL+"/bin/script.min.js", "", nil, "X-Mock-Tenant", "other")
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, 1, other.World.Journal.Count("pos", "og.org_activities"))
	require.Equal(t, 1, other.World.Journal.Count("pos", "script"))
	require.Equal(t, before, sb.Journal.Seq(), "the default tenant saw nothing")

	st, _ = posDo(t, "GET", sb.POSURL+"/og/org-activities?reg_code=11", "", nil)
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, 1, sb.Journal.Count("pos", "og.org_activities"))
	require.Equal(t, 1, other.World.Journal.Count("pos", "og.org_activities"))

	st, _ = posDo(t, "GET", sb.POSURL+"/bin/script.min.js", "", nil, "X-Mock-Tenant", "nobody")
	require.Equal(t, http.StatusUnauthorized, st)
}
