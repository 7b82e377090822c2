// Integration tests of the appeals client against the module's sandbox
// (mock.Start): every call goes over loopback HTTP to the POS emulator on
// the world clock.
package pos_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/core/coretest"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/pos"
)

func startPOS(t testing.TB) *mock.Sandbox {
	t.Helper()
	return mock.Start(t, mock.WithParties("pos"), mock.WithFrozenClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
}

func posClient(t testing.TB, sb *mock.Sandbox, cred pos.Credentials, opts ...core.Option) *pos.AppealsClient {
	t.Helper()
	base := []core.Option{core.WithBaseURL(sb.POSURL), core.WithHTTPClient(sb.HTTPClient()),
		core.WithClock(coretest.NewDriven(sb.Clock.Now, sb.Clock.Advance))}
	c, err := pos.NewAppealsClient(cred, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func sbPOSCredentials(sb *mock.Sandbox) pos.Credentials {
	return pos.Credentials{Username: sb.Credentials.POS.Username, Password: sb.Credentials.POS.Password}
}

func ministryOGRN(t testing.TB, w *world.World) string {
	t.Helper()
	o, err := w.Organization(world.DefaultMinistryOID)
	require.NoError(t, err)
	return o.OGRN
}

func TestAppealsSandboxLifecycle(t *testing.T) {
	sb := startPOS(t)
	c := posClient(t, sb, sbPOSCredentials(sb), pos.WithTokenURL(sb.Credentials.POS.TokenURL))
	ctx := context.Background()

	exp, err := c.Authenticate(ctx)
	require.NoError(t, err)
	assert.Equal(t, sb.Clock.Now().Add(posmock.TokenLifetime), exp)

	regions, err := c.Regions(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, regions)
	region := regions[0].ID
	subjects, err := c.Subjects(ctx, region)
	require.NoError(t, err)
	require.Len(t, subjects, len(posmock.Subjects))
	assert.Equal(t, posmock.Subjects[0].Name, subjects[0].Name)
	subs, err := c.SubSubjects(ctx, subjects[0].ID, region)
	require.NoError(t, err)
	assert.Equal(t, posmock.Subjects[0].Sub[0].ID, subs[0].ID)

	_, err = c.Subjects(ctx, 999999)
	var ae *pos.AppealsError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 404, ae.StatusCode)
	assert.Equal(t, "404", core.ErrorCode(err))

	f, err := c.UploadFile(ctx, "photo.jpg", "image/jpeg", []byte("jpeg bytes"))
	require.NoError(t, err)
	assert.NotEmpty(t, f.ID)
	assert.Equal(t, "photo.jpg", f.Name)
	assert.EqualValues(t, 10, f.Size)

	st, err := c.CreateAppeal(ctx, &pos.CreateAppealRequest{Description: "Яма на дороге", SubjectID: subjects[0].ID,
		SubsubjectID: subs[0].ID, RegionID: region, AttachmentIDs: []string{f.ID},
		Applicant:        pos.Applicant{Name: "Иван", Surname: "Иванов", Email: "ivan@example.org"},
		OrganizationInfo: pos.OrganizationInfo{OGRN: ministryOGRN(t, sb.World)}})
	require.NoError(t, err)
	assert.Equal(t, pos.AppealNew, st.Status)
	stored, ok := sb.POS.Appeal(st.PosID)
	require.True(t, ok)
	assert.Equal(t, "Яма на дороге", stored.Description)
	assert.Equal(t, []string{f.ID}, stored.Attachments)
	assert.Equal(t, "Иванов", stored.Applicant.Surname)

	for _, tc := range []struct {
		advance time.Duration
		status  string
		steps   int
	}{{0, pos.AppealNew, 1}, {time.Hour, pos.AppealInWork, 2}, {23 * time.Hour, pos.AppealAnswered, 3}} {
		sb.Clock.Advance(tc.advance)
		got, err := c.Appeal(ctx, st.PosID)
		require.NoError(t, err)
		assert.Equal(t, tc.status, got.Status)
		require.Len(t, got.History, tc.steps)
		assert.Equal(t, tc.status, got.History[tc.steps-1].Status)
		assert.False(t, got.History[tc.steps-1].CreatedAt.IsZero())
		if tc.status == pos.AppealAnswered {
			last := got.History[tc.steps-1]
			require.NotNil(t, last.Answer)
			assert.Equal(t, posmock.StandardAnswer.Comment, last.Answer.Comment)
			require.NotNil(t, last.CreatedBy)
			assert.Equal(t, posmock.LKOEmployee.Surname, last.CreatedBy.Surname)
		}
	}
	// Each advance outlived the token (an hour): the client took a new one
	// before using it, without a refused call.
	assert.Empty(t, sb.Journal.Entries(world.Filter{Party: posmock.PartyName, Status: 401}))
	assert.Len(t, sb.Journal.Entries(world.Filter{Party: posmock.PartyName, Method: "api.token"}), 3)
}

func TestAppealsSandboxWrongPassword(t *testing.T) {
	sb := startPOS(t)
	const wrong = "wrong-password-5f3a9c"
	var logs bytes.Buffer
	c := posClient(t, sb, pos.Credentials{Username: sb.Credentials.POS.Username, Password: wrong},
		core.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Regions(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, pos.ErrAppealsAuth)
	assert.Equal(t, "invalid_grant", core.ErrorCode(err))
	assert.NotContains(t, err.Error(), wrong)
	assert.NotContains(t, logs.String(), wrong)
	assert.NotContains(t, c.String(), wrong)
}

func TestAppealsSandboxCreateDropped(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind world.FaultKind
		want int
	}{{"dropped before", world.FaultDropBefore, 0}, {"dropped after", world.FaultDropAfter, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			sb := startPOS(t)
			c := posClient(t, sb, sbPOSCredentials(sb))
			_, err := sb.Faults.Add(world.Rule{Party: posmock.PartyName, Method: "api.appeal_create", Kind: tc.kind})
			require.NoError(t, err)
			_, err = c.CreateAppeal(context.Background(), &pos.CreateAppealRequest{Description: "x", SubjectID: 1,
				OrganizationInfo: pos.OrganizationInfo{OGRN: ministryOGRN(t, sb.World)}})
			require.Error(t, err)
			assert.ErrorIs(t, err, core.ErrUnknownOutcome)
			assert.Len(t, sb.POS.Appeals(0), tc.want)
			assert.Len(t, sb.Journal.Entries(world.Filter{Party: posmock.PartyName, Method: "api.appeal_create"}), 1,
				"create is sent once")
		})
	}
}

func TestAppealsSandboxReadRetried(t *testing.T) {
	sb := startPOS(t)
	c := posClient(t, sb, sbPOSCredentials(sb))
	_, err := sb.Faults.Add(world.Rule{Party: posmock.PartyName, Method: "api.regions", Kind: world.FaultDropBefore, First: 2})
	require.NoError(t, err)
	regions, err := c.Regions(context.Background())
	require.NoError(t, err)
	assert.NotEmpty(t, regions)
}

func TestAppealsSandboxTenantIsolation(t *testing.T) {
	sb := startPOS(t)
	other, err := sb.CreateTenant("other", nil)
	require.NoError(t, err)
	oc := other.Credentials().POS
	require.NotEqual(t, sb.Credentials.POS.Password, oc.Password)
	a := posClient(t, sb, sbPOSCredentials(sb))
	b := posClient(t, sb, pos.Credentials{Username: oc.Username, Password: oc.Password})
	ctx := context.Background()
	st, err := b.CreateAppeal(ctx, &pos.CreateAppealRequest{Description: "tenant b", SubjectID: 1,
		OrganizationInfo: pos.OrganizationInfo{OGRN: ministryOGRN(t, other.World)}})
	require.NoError(t, err)
	assert.Len(t, other.POS.Appeals(0), 1)
	assert.Empty(t, sb.POS.Appeals(0))
	_, err = a.Appeal(ctx, st.PosID)
	var ae *pos.AppealsError
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, 404, ae.StatusCode)
	// One tenant's password does not open the other's API.
	x := posClient(t, sb, pos.Credentials{Username: sb.Credentials.POS.Username, Password: oc.Password})
	_, err = x.Regions(ctx)
	if sb.Credentials.POS.Username == oc.Username {
		// Same login name: the password decides, and it is the other tenant's.
		if err == nil {
			return
		}
	}
	assert.ErrorIs(t, err, pos.ErrAppealsAuth)
}
