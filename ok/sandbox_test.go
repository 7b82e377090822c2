// Integration tests of the client against the module's sandbox (mock.Start):
// every call goes over loopback HTTP to the OK emulator, faults are the
// sandbox's fault rules, and the tests assert what the emulator stored and
// journaled.
package ok_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/govmark"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/social"
)

// sbGroup is the default group's id as the client takes it.
var sbGroup = strconv.FormatInt(okmock.DefaultGroupID, 10)

// startOK starts a sandbox with the OK emulator (and ESIA, for the
// «Госорганизация» flow).
func startOK(t testing.TB, opts ...mock.Option) *mock.Sandbox {
	t.Helper()
	return mock.Start(t, append([]mock.Option{mock.WithParties("esia", "ok")}, opts...)...)
}

// sbCredentials are the client credentials of the sandbox's administrator.
func sbCredentials(sb *mock.Sandbox) ok.Credentials {
	cr := sb.Credentials.OK
	return ok.Credentials{ApplicationKey: cr.ApplicationKey, ApplicationSecretKey: cr.ApplicationSecret,
		AccessToken: cr.AccessToken, SessionSecretKey: cr.SessionSecret}
}

// sbClient returns a client of the sandbox talking through its fail-closed
// HTTP client on the world clock: every wait of the client (pacing, retry
// backoff) moves the world clock forward instead of sleeping.
func sbClient(t testing.TB, sb *mock.Sandbox, cred ok.Credentials, opts ...core.Option) *ok.Client {
	t.Helper()
	base := []core.Option{core.WithBaseURL(sb.OKURL), core.WithHTTPClient(sb.HTTPClient()),
		core.WithClock(coretest.NewDriven(sb.Clock.Now, sb.Clock.Advance))}
	c, err := ok.New(cred, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// sbCalls returns the journal entries of one OK method (lower case, as the
// emulator journals it: "group.getinfo").
func sbCalls(sb *mock.Sandbox, method string) []world.Entry {
	return sb.Journal.Entries(world.Filter{Party: okmock.PartyName, Method: method})
}

// sbCodes returns the OK error codes of entries (0: success).
func sbCodes(es []world.Entry) []int {
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.Code
	}
	return out
}

func addRule(t testing.TB, sb *mock.Sandbox, r world.Rule) {
	t.Helper()
	r.Party = okmock.PartyName
	_, err := sb.Faults.Add(r)
	require.NoError(t, err)
}

// tinyPNG is a small valid PNG picture.
func tinyPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			img.Set(x, y, color.RGBA{R: uint8(x * 16), G: 0x66, B: 0xb3, A: 0xff})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// A storm of code 2 (SERVICE) on a read is retried and the read succeeds;
// the backoff ran on the world clock.
func TestSandboxServiceStormOnReadsIsRetried(t *testing.T) {
	sb := startOK(t)
	addRule(t, sb, world.Rule{Method: "group.getInfo", Kind: world.FaultError, Code: ok.CodeService, Description: "SERVICE", First: 3})
	before := sb.Clock.Now()
	g, err := sbClient(t, sb, sbCredentials(sb)).GetGroup(t.Context(), sbGroup, []string{"uid", "name"})
	require.NoError(t, err)
	assert.Equal(t, "Минцифры Архангельской области", g.Name)
	assert.Equal(t, []int{2, 2, 2, 0}, sbCodes(sbCalls(sb, "group.getinfo")), "three SERVICE answers, then the answer")
	assert.Greater(t, sb.Clock.Now().Sub(before), time.Duration(0), "the backoff waited on the world clock")

	// A storm longer than the retries gives up with the typed error.
	addRule(t, sb, world.Rule{Method: "group.getCounters", Kind: world.FaultError, Code: ok.CodeService, Description: "SERVICE"})
	_, err = sbClient(t, sb, sbCredentials(sb)).GetCounters(t.Context(), &ok.GetCountersRequest{GroupID: sbGroup, Types: []string{ok.CounterMembers}})
	require.ErrorIs(t, err, ok.ErrService)
	var oe *ok.Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, ok.CodeService, oe.Code)
	assert.Len(t, sbCalls(sb, "group.getcounters"), 4, "the first call and three retries")
}

// A topic whose answer is lost or is a server failure has an unknown
// outcome: it is never posted again, the group holds zero or one topic,
// and FanOut reports the page as unknown.
func TestSandboxPostFailuresAreUnknownNeverRetried(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rule   world.Rule
		topics int // what the group holds afterwards
	}{
		{"service error after the topic was stored", world.Rule{Kind: world.FaultErrorAfter, Code: ok.CodeService, Description: "SERVICE"}, 1},
		{"service error before it ran", world.Rule{Kind: world.FaultError, Code: ok.CodeService, Description: "SERVICE"}, 0},
		{"connection dropped after it ran", world.Rule{Kind: world.FaultDropAfter}, 1},
		{"connection dropped before it ran", world.Rule{Kind: world.FaultDropBefore}, 0},
		{"answer cut in half", world.Rule{Kind: world.FaultTruncate}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := startOK(t)
			r := tc.rule
			r.Method, r.Nth = "mediatopic.post", 1
			addRule(t, sb, r)
			pub := sbClient(t, sb, sbCredentials(sb)).Publisher(sbGroup)
			rep := social.FanOut(t.Context(), social.Post{Text: "Плановое отключение электроэнергии"}, pub)
			require.Len(t, rep.Results, 1)
			res := rep.Results[0]
			assert.Equal(t, social.Unknown, res.Outcome, "reason: %s", res.Reason)
			assert.Equal(t, 1, rep.Unknown)
			assert.ErrorIs(t, res.Err, core.ErrUnknownOutcome)
			assert.Len(t, sbCalls(sb, "mediatopic.post"), 1, "a topic is never sent twice")
			assert.Len(t, sb.OK.Topics(okmock.DefaultGroupID), tc.topics)
		})
	}
}

// gateway stands for a proxy in front of OK: it forwards every call and
// answers HTTP 502 instead of OK's answer for the calls of one method.
type gateway struct {
	next   http.RoundTripper
	method string
}

func (g gateway) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := g.next.RoundTrip(req)
	if err != nil || req.URL.Query().Get("method") != g.method {
		return resp, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return &http.Response{StatusCode: http.StatusBadGateway, Status: "502 Bad Gateway", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"text/html"}}, Body: io.NopCloser(strings.NewReader("<html>502 Bad Gateway</html>")),
		Request: req}, nil
}

// A 5xx answer from a proxy in front of OK, after OK stored the topic:
// the outcome is unknown, the topic is not posted again, and reads through
// the same proxy are retried.
func TestSandboxGateway5xxOnPostIsUnknown(t *testing.T) {
	sb := startOK(t)
	hc := &http.Client{Transport: gateway{next: sb.HTTPClient().Transport, method: "mediatopic.post"}}
	c := sbClient(t, sb, sbCredentials(sb), core.WithHTTPClient(hc))
	rep := social.FanOut(t.Context(), social.Post{Text: "Приём граждан переносится"}, c.Publisher(sbGroup))
	require.Len(t, rep.Results, 1)
	assert.Equal(t, social.Unknown, rep.Results[0].Outcome)
	assert.ErrorIs(t, rep.Results[0].Err, core.ErrUnknownOutcome)
	var he *ok.HTTPError
	require.ErrorAs(t, rep.Results[0].Err, &he)
	assert.Equal(t, http.StatusBadGateway, he.StatusCode)
	assert.Len(t, sbCalls(sb, "mediatopic.post"), 1, "never sent twice")
	assert.Len(t, sb.OK.Topics(okmock.DefaultGroupID), 1, "OK stored it: the check before a new attempt finds it")

	hc = &http.Client{Transport: gateway{next: sb.HTTPClient().Transport, method: "group.getInfo"}}
	addRule(t, sb, world.Rule{Method: "group.getInfo", Kind: world.FaultDropBefore, Nth: 1})
	_, err := sbClient(t, sb, sbCredentials(sb), core.WithHTTPClient(hc)).GetGroup(t.Context(), sbGroup, nil)
	require.Error(t, err)
	var he2 *ok.HTTPError
	require.ErrorAs(t, err, &he2, "the gateway's answer to the last attempt")
	assert.Len(t, sbCalls(sb, "group.getinfo"), 4, "a dropped connection and 502s on a read: retried")
}

// Under a seeded storm of dropped connections on mediatopic.post, a
// fan-out to 60 groups leaves exactly zero or one topic in each: every
// group reported published holds one, every group reported unknown holds
// zero or one, and no topic was sent twice.
func TestSandboxFanOutUnderDroppedConnections(t *testing.T) {
	const n = 60
	sc, ids := groupsScenario(n)
	sb := startOK(t, mock.WithScenario(sc))
	addRule(t, sb, world.Rule{Method: "mediatopic.post", Kind: world.FaultDropBefore, Probability: 0.15, Seed: 7})
	addRule(t, sb, world.Rule{Method: "mediatopic.post", Kind: world.FaultDropAfter, Probability: 0.15, Seed: 11})
	c := sbClient(t, sb, sbCredentials(sb), core.WithLimiter(nil))
	pubs := make([]social.Publisher, n)
	for i, id := range ids {
		pubs[i] = c.Publisher(strconv.FormatInt(id, 10))
	}
	rep := social.FanOutOptions{Concurrency: 8}.Run(t.Context(), social.Post{Text: fanoutText}, pubs...)
	assert.Equal(t, n, rep.Published+rep.Unknown, "a post either went through or has an unknown outcome")
	assert.Positive(t, rep.Unknown, "the storm hit some posts")
	assert.Positive(t, rep.Published)
	assert.Len(t, sbCalls(sb, "mediatopic.post"), n, "one call per group, none repeated")
	byGroup := map[int64]int{}
	for _, tp := range sb.OK.Topics(0) {
		byGroup[tp.GroupID]++
	}
	stored, missing := 0, 0
	for i, r := range rep.Results {
		k := byGroup[ids[i]]
		require.LessOrEqual(t, k, 1, "group %d holds %d topics", ids[i], k)
		switch r.Outcome {
		case social.Published:
			assert.Equal(t, 1, k, "group %d reported published", ids[i])
		case social.Unknown:
			assert.ErrorIs(t, r.Err, core.ErrUnknownOutcome)
			stored += k
			missing += 1 - k
		default:
			t.Errorf("group %d: outcome %s (%s)", ids[i], r.Outcome, r.Reason)
		}
	}
	assert.Positive(t, stored, "some unknown posts reached OK (dropped after)")
	assert.Positive(t, missing, "some did not (dropped before)")
}

// recorder records the form of every API call a client sends.
type recorder struct {
	mu    sync.Mutex
	next  http.RoundTripper
	forms []url.Values
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && strings.Contains(req.URL.Path, "fb.do") {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		f, _ := url.ParseQuery(string(body))
		r.mu.Lock()
		r.forms = append(r.forms, f)
		r.mu.Unlock()
	}
	return r.next.RoundTrip(req)
}

// A token that expired on the world clock (102) is renewed through the
// token source at the emulator's /oauth/token.do, and the call is repeated
// once, with the new token and a new signature.
func TestSandboxExpiredTokenRenewedOnce(t *testing.T) {
	sb := startOK(t)
	cr := sb.Credentials.OK
	short := okmock.Token{PersonOID: world.DefaultChiefOID, AccessToken: "MOCKshortlivedtoken", SessionSecret: "MOCKshortlivedsecret",
		RefreshToken: "MOCKshortlivedrefresh", Permissions: []string{okmock.PermValuableAccess, okmock.PermGroupContent},
		ExpiresAt: sb.Clock.Now().Add(okmock.TokenLifetime)}
	require.NoError(t, sb.OK.Section().PutToken(short, ""))
	cfg := &oauth2.Config{ClientID: strconv.FormatInt(cr.ApplicationID, 10), ClientSecret: cr.ApplicationSecret,
		Endpoint: oauth2.Endpoint{TokenURL: cr.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, sb.HTTPClient())
	// The source believes the token good for a day: only OK's 102 tells
	// the client otherwise.
	src := ok.NewTokenSource(ctx, cfg, &oauth2.Token{AccessToken: short.AccessToken, RefreshToken: short.RefreshToken,
		Expiry: time.Now().Add(24 * time.Hour), TokenType: "Bearer"})
	rec := &recorder{next: sb.HTTPClient().Transport}
	c, err := ok.New(ok.Credentials{ApplicationKey: cr.ApplicationKey, ApplicationSecretKey: cr.ApplicationSecret},
		core.WithBaseURL(sb.OKURL), core.WithHTTPClient(&http.Client{Transport: rec}),
		core.WithClock(coretest.NewDriven(sb.Clock.Now, sb.Clock.Advance)), ok.WithTokenSource(src))
	require.NoError(t, err)

	_, err = c.GetGroup(t.Context(), sbGroup, []string{"name"})
	require.NoError(t, err, "the short-lived token still works")
	sb.Clock.Advance(okmock.TokenLifetime)

	g, err := c.GetGroup(t.Context(), sbGroup, []string{"name"})
	require.NoError(t, err)
	assert.NotEmpty(t, g.Name)
	assert.Equal(t, []int{0, ok.CodeParamSessionExpired, 0}, sbCodes(sbCalls(sb, "group.getinfo")), "one 102, then one repeat")
	assert.Len(t, sbCalls(sb, "oauth.token"), 1, "renewed once")
	require.Len(t, rec.forms, 3)
	expired, repeated := rec.forms[1], rec.forms[2]
	assert.Equal(t, short.AccessToken, expired.Get("access_token"))
	assert.NotEqual(t, expired.Get("access_token"), repeated.Get("access_token"), "the repeat carries the new token")
	assert.NotEqual(t, expired.Get("sig"), repeated.Get("sig"), "and a new signature")
	renewed, ok2 := sb.OK.Section().Token(repeated.Get("access_token"))
	require.True(t, ok2, "the new token is the one the emulator issued")
	assert.True(t, renewed.ExpiresAt.After(sb.Clock.Now()))

	// A post meeting 102 is repeated as well: OK did not execute it.
	sb.Clock.Advance(okmock.TokenLifetime)
	_, err = c.PostTopic(t.Context(), &ok.PostTopicRequest{Type: ok.TopicGroupTheme, GroupID: sbGroup,
		Attachment: ok.Attachment{Media: []ok.MediaItem{ok.TextItem("Приём граждан переносится")}, OnBehalfOfGroup: true}})
	require.NoError(t, err)
	assert.Equal(t, []int{ok.CodeParamSessionExpired, 0}, sbCodes(sbCalls(sb, "mediatopic.post")))
	assert.Len(t, sb.OK.Topics(okmock.DefaultGroupID), 1)
	assert.Len(t, sbCalls(sb, "oauth.token"), 2)
}

// Flood codes 8 and 11 are typed rate-limit errors and never repeated,
// on reads and on posts alike.
func TestSandboxFloodCodesTypedNotRetried(t *testing.T) {
	for _, tc := range []struct {
		code     int
		sentinel error
	}{{ok.CodeFloodBlocked, ok.ErrFloodBlocked}, {ok.CodeLimitReached, ok.ErrLimitReached}} {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			sb := startOK(t)
			addRule(t, sb, world.Rule{Method: "*", Kind: world.FaultError, Code: tc.code, Description: ok.CodeName(tc.code)})
			c := sbClient(t, sb, sbCredentials(sb))
			_, readErr := c.GetGroup(t.Context(), sbGroup, nil)
			_, postErr := c.PostTopic(t.Context(), &ok.PostTopicRequest{Type: ok.TopicGroupTheme, GroupID: sbGroup,
				Attachment: ok.Attachment{Media: []ok.MediaItem{ok.TextItem("Текст")}}})
			for _, err := range []error{readErr, postErr} {
				require.ErrorIs(t, err, core.ErrRateLimited)
				require.ErrorIs(t, err, tc.sentinel)
				assert.NotErrorIs(t, err, core.ErrUnknownOutcome, "a flood answer proves the call was not executed")
				var rl *core.RateLimitError
				require.ErrorAs(t, err, &rl)
				var oe *ok.Error
				require.ErrorAs(t, err, &oe)
				assert.Equal(t, tc.code, oe.Code)
				assert.Equal(t, strconv.Itoa(tc.code), core.ErrorCode(err))
			}
			assert.Len(t, sbCalls(sb, "group.getinfo"), 1)
			assert.Len(t, sbCalls(sb, "mediatopic.post"), 1)
			assert.Empty(t, sb.OK.Topics(0))
		})
	}
}

// A wrong application secret is 104 (the signature does not match), a
// wrong application key 101; neither is retried nor echoes a secret.
func TestSandboxWrongSecretAndKey(t *testing.T) {
	sb := startOK(t)
	good := sbCredentials(sb)

	wrongSecret := good
	wrongSecret.SessionSecretKey = "" // signed with md5(token + application secret)
	wrongSecret.ApplicationSecretKey = "MOCKNOTTHEAPPLICATIONSECRET"
	_, err := sbClient(t, sb, wrongSecret).GetGroup(t.Context(), sbGroup, nil)
	require.ErrorIs(t, err, ok.ErrSignature)
	var oe *ok.Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, ok.CodeParamSignature, oe.Code)

	wrongSession := good
	wrongSession.SessionSecretKey = "MOCKNOTTHESESSIONSECRET"
	_, err2 := sbClient(t, sb, wrongSession).GetGroup(t.Context(), sbGroup, nil)
	require.ErrorIs(t, err2, ok.ErrSignature)

	wrongKey := good
	wrongKey.ApplicationKey = "MOCKNOTTHEAPPLICATIONKEY"
	_, err3 := sbClient(t, sb, wrongKey).GetGroup(t.Context(), sbGroup, nil)
	require.ErrorIs(t, err3, ok.ErrApplicationKey)
	require.ErrorAs(t, err3, &oe)
	assert.Equal(t, ok.CodeParamAPIKey, oe.Code)

	assert.Equal(t, []int{104, 104, 101}, sbCodes(sbCalls(sb, "group.getinfo")), "none retried")
	for _, e := range []error{err, err2, err3} {
		for _, secret := range []string{good.ApplicationSecretKey, good.AccessToken, good.SessionSecretKey,
			wrongSecret.ApplicationSecretKey, wrongSession.SessionSecretKey} {
			assert.NotContains(t, e.Error(), secret)
		}
	}
}

// requirement returns one requirement of a report.
func requirement(t *testing.T, rs social.Requirements, code social.RequirementCode) social.Requirement {
	t.Helper()
	r, found := rs.Find(code)
	require.True(t, found, "no %s in the report", code)
	return r
}

// The «Госорганизация» flow's negative paths, as the client sees them.
func TestSandboxGovMarkNegativePaths(t *testing.T) {
	ctx := context.Background()

	t.Run("no ESIA authority", func(t *testing.T) {
		sb := startOK(t)
		// The employee is the group's SUPER_MODERATOR on OK with «Двойная
		// защита» on, but is neither chief nor administrator on ESIA.
		emp, err := sb.World.Person(world.DefaultEmployeeOID)
		require.NoError(t, err)
		a := emp.Accounts[world.NetworkOK]
		a.TwoFactor = true
		emp.Accounts[world.NetworkOK] = a
		require.NoError(t, sb.World.UpdatePerson(emp))
		require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
			for i := range p.Admins {
				if p.Admins[i].PersonOID == world.DefaultEmployeeOID {
					p.Admins[i].Role = world.OKRoleSuperModerator
					return nil
				}
			}
			p.Admins = append(p.Admins, world.PageAdmin{PersonOID: world.DefaultEmployeeOID, Role: world.OKRoleSuperModerator})
			return nil
		}))
		unmet, err := sb.OK.GovConditions(okmock.DefaultGroupID, world.DefaultEmployeeOID)
		require.NoError(t, err)
		require.Empty(t, unmet, "the button is active for the employee")
		_, err = sb.OK.RequestGovMark(ctx, okmock.DefaultGroupID, world.DefaultEmployeeOID, world.DefaultMinistryOID)
		require.ErrorIs(t, err, govmark.ErrNoAuthority)
		sb.Clock.Advance(govmark.DefaultReviewDelay)
		rs, err := sbClient(t, sb, sbCredentials(sb)).CheckGroup(ctx, sbGroup)
		require.NoError(t, err)
		assert.Equal(t, social.RequirementNotMet, requirement(t, rs, social.ReqGovMark).Status, "nothing was submitted")
		p, err := sb.World.Page(world.NetworkOK, okmock.DefaultGroupID)
		require.NoError(t, err)
		assert.Equal(t, world.GovNone, p.Gov.Status)
	})

	t.Run("button inactive while a condition fails", func(t *testing.T) {
		sb := startOK(t)
		require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
			p.Description = ""
			return nil
		}))
		c := sbClient(t, sb, sbCredentials(sb))
		rs, err := c.CheckGroup(ctx, sbGroup)
		require.NoError(t, err)
		assert.Equal(t, []social.RequirementCode{social.ReqDescription, social.ReqGovMark}, codesOf(rs.NotMet()))
		unmet, err := sb.OK.GovConditions(okmock.DefaultGroupID, world.DefaultChiefOID)
		require.NoError(t, err)
		assert.Equal(t, []string{okmock.CondDesc}, unmet)
		_, err = sb.OK.RequestGovMark(ctx, okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
		require.ErrorIs(t, err, okmock.ErrConditions)
		assert.Empty(t, sb.Journal.Entries(world.Filter{Party: "esia"}), "nobody was sent to Gosuslugi")

		// The settings page shows the button disabled and refuses a press.
		page := sb.OKURL + "/group/" + sbGroup + "/settings?access_token=" + url.QueryEscape(sb.Credentials.OK.AccessToken)
		hc := sb.HTTPClient()
		resp, err := hc.Get(page)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Contains(t, string(body), `<button id="gosuslugi" type="submit" disabled>`)
		assert.Contains(t, string(body), okmock.CondDesc)
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err = hc.PostForm(page, url.Values{"action": {"gosuslugi"}})
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusConflict, resp.StatusCode)
	})

	t.Run("mark lost on rename", func(t *testing.T) {
		sb := startOK(t)
		c := sbClient(t, sb, sbCredentials(sb))
		_, err := sb.OK.RequestGovMark(ctx, okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
		require.NoError(t, err)
		sb.Clock.Advance(govmark.DefaultReviewDelay)
		g, err := c.GetGroup(ctx, sbGroup, []string{"name", "gos_org"})
		require.NoError(t, err)
		require.NotNil(t, g.GosOrg)
		require.True(t, *g.GosOrg)

		require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
			p.Title = "Минцифры Поморья"
			return nil
		}))
		g, err = c.GetGroup(ctx, sbGroup, []string{"name", "gos_org"})
		require.NoError(t, err)
		assert.Equal(t, "Минцифры Поморья", g.Name)
		require.NotNil(t, g.GosOrg)
		assert.False(t, *g.GosOrg, "the rename withdrew the mark")
		rs, err := c.CheckGroup(ctx, sbGroup)
		require.NoError(t, err)
		assert.Equal(t, []social.RequirementCode{social.ReqGovMark}, codesOf(rs.NotMet()))
		p, err := sb.World.Page(world.NetworkOK, okmock.DefaultGroupID)
		require.NoError(t, err)
		assert.Equal(t, world.GovLost, p.Gov.Status)

		// It is requested again through Gosuslugi, and granted again.
		_, err = sb.OK.RequestGovMark(ctx, okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
		require.NoError(t, err)
		sb.Clock.Advance(govmark.DefaultReviewDelay)
		rs, err = c.CheckGroup(ctx, sbGroup)
		require.NoError(t, err)
		assert.True(t, requirement(t, rs, social.ReqGovMark).Met())
	})
}

func codesOf(rs social.Requirements) []social.RequirementCode {
	out := make([]social.RequirementCode, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

// kinds lists the changes as "page:kind".
func kinds(cs []social.MarkChange) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.After.PageID + ":" + string(c.Kind)
	}
	return out
}

// The shared mark watcher over the client sees the emulator's
// «Госорганизация» flow: the mark granted after the review, lost on a
// rename, a deleted group gone; 150 groups are read in two group.getInfo
// calls a reading.
func TestSandboxMarkWatcherFollowsTheGovMarkFlow(t *testing.T) {
	const n = 149
	sc, ids := groupsScenario(n)
	sb := startOK(t, mock.WithScenario(sc))
	ctx := t.Context()
	pages := []string{sbGroup}
	for _, id := range ids {
		pages = append(pages, strconv.FormatInt(id, 10))
	}
	w := sbClient(t, sb, sbCredentials(sb)).WatchMarks(pages, social.WatchOptions{})
	reading := func() []string {
		t.Helper()
		before := len(sbCalls(sb, "group.getinfo"))
		cs, err := w.Check(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, len(sbCalls(sb, "group.getinfo"))-before, "150 groups, 100 a call")
		return kinds(cs)
	}
	assert.Empty(t, reading(), "the first reading records the states")

	_, err := sb.OK.RequestGovMark(ctx, okmock.DefaultGroupID, world.DefaultChiefOID, world.DefaultMinistryOID)
	require.NoError(t, err)
	assert.Empty(t, reading(), "under review: no mark yet")
	sb.Clock.Advance(govmark.DefaultReviewDelay)
	assert.Equal(t, []string{sbGroup + ":granted"}, reading())
	st, found := w.State(sbGroup)
	require.True(t, found)
	assert.Equal(t, social.MarkOf(true, true), st.Mark)

	require.NoError(t, sb.World.ModifyPage(world.NetworkOK, okmock.DefaultGroupID, func(p *world.Page) error {
		p.Title = "Минцифры Поморья"
		return nil
	}))
	require.NoError(t, sb.World.RemovePage(world.NetworkOK, ids[7]))
	gone := strconv.FormatInt(ids[7], 10)
	assert.ElementsMatch(t, []string{sbGroup + ":renamed", sbGroup + ":lost", gone + ":gone"}, reading())
	assert.Empty(t, reading(), "each change is reported once")
}
