package pos_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/pos"
)

// An OK group carries the forms as links in its description: its
// administrator writes them (the emulator's control route), the audit reads
// them through the ok client and checks them without titles.
func TestAuditOKGroup(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("ok", "pos"))
	dir := directoryOf(t, sb)
	ministry, err := sb.World.Organization(world.DefaultMinistryOID)
	require.NoError(t, err)
	const groupURL = "https://ok.ru/group/70000000000001"
	plan, err := dir.Plan(ministry.OGRN, groupURL)
	require.NoError(t, err)
	l, err := sb.POS.LKO(plan.Resolution.AppealLKO.OpaID)
	require.NoError(t, err)
	_, err = sb.POS.SetWidgetSites(l.OpaID, append(l.WidgetSites, groupURL))
	require.NoError(t, err)
	dir = directoryOf(t, sb)

	put := func(user int64, text string) int {
		b, err := json.Marshal(map[string]any{"group_id": okmock.DefaultGroupID, "user_id": user, "text": text})
		require.NoError(t, err)
		body := string(b)
		req, err := http.NewRequest(http.MethodPut, sb.ControlURL+"/_mock/ok/description", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	text := "Официальная группа.\nСообщить о проблеме: " + plan.Items[0].URL + "\nВысказать мнение: " + plan.Items[1].URL
	assert.Equal(t, http.StatusForbidden, put(1, text), "a stranger is refused")
	require.Equal(t, http.StatusOK, put(900000001, text), "the chief administers the group")
	assert.ErrorIs(t, sb.OK.SetDescription(okmock.DefaultGroupID, 900000002, "x"), okmock.ErrNotAdmin, "an editor is refused")

	cr := sb.Credentials.OK
	c, err := ok.New(ok.Credentials{ApplicationKey: cr.ApplicationKey, ApplicationSecretKey: cr.ApplicationSecret,
		AccessToken: cr.AccessToken, SessionSecretKey: cr.SessionSecret},
		core.WithBaseURL(sb.OKURL), core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(sb.Clock.Now)))
	require.NoError(t, err)
	forms := pos.Forms{BaseURL: sb.POSURL}
	a := &pos.Auditor{Directory: dir, Forms: forms, HTTPClient: sb.HTTPClient(),
		Readers: map[string]pos.MenuReader{pos.NetworkOK: pos.OKLinks{Client: c, Forms: forms}}}
	page := pos.AuditPage{Network: pos.NetworkOK, ID: okmock.DefaultGroupID, OGRN: ministry.OGRN, URL: groupURL}
	res, err := a.Audit(t.Context(), []pos.AuditPage{page}, nil)
	require.NoError(t, err)
	assert.Equal(t, pos.StatusOK, res.Pages[0].Status, "%v", res.Pages[0].Reasons)

	// The polls link missing from the description.
	require.Equal(t, http.StatusOK, put(900000001, "Сообщить о проблеме: "+plan.Items[0].URL))
	res, err = a.Audit(t.Context(), []pos.AuditPage{page}, nil)
	require.NoError(t, err)
	assert.Equal(t, []pos.ReasonCode{pos.ReasonMenuShort}, codes(res.Pages[0]))
}
