package esia_test

import (
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/esia"
)

const orgJSON = `{"oid":%d,"fullName":"Org","ogrn":"1047702026701","inn":"7710474375","kpp":"771001001",
 "agencyType":"11.REG","agencyTerRange":"29","oktmo":"11701000","type":"AGENCY"}`

func authorityClient(t *testing.T) (*esia.Client, *httpmock.MockTransport) {
	t.Helper()
	c, mt := mockClient(t, baseConfig(t))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1000328686/roles", httpmock.NewStringResponder(200, rolesJSON))
	for _, oid := range []int64{orgOID, 1000000002, 1000000003} {
		mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/"+itoa(oid), httpmock.NewStringResponder(200, sprintf(orgJSON, oid)))
	}
	return c, mt
}

func TestAuthorityAccepts(t *testing.T) {
	t.Parallel()
	c, mt := authorityClient(t)
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: makeJWT(t, gostJWTSigner(t, "esia"), accessClaims(), nil)})
	a, err := c.Authority(t.Context(), ts, orgOID)
	require.NoError(t, err)
	assert.Equal(t, personOID, a.PersonOID)
	assert.True(t, a.Admin)
	assert.False(t, a.Chief)
	assert.Equal(t, "1047702026701", a.Role.OGRN)
	require.NotNil(t, a.Organization)
	assert.Equal(t, "7710474375", a.Organization.INN)
	assert.Equal(t, esia.AgencyRegional, a.Organization.AgencyType)
	assert.Equal(t, "29", a.Organization.AgencyTerRange)
	assert.Equal(t, "11701000", a.Organization.OKTMO)
	assert.Nil(t, a.Groups)
	assert.False(t, a.InGroup(esia.GroupGospublikiInstitution))

	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000474775/emps/1000328686/grps", httpmock.NewStringResponder(200,
		`{"size":1,"elements":[{"grp_id":"G1","name":"ПОС. Госпаблики. Кабинет учреждения"}]}`))
	a, err = c.Authority(t.Context(), ts, orgOID, esia.AuthorityGroups())
	require.NoError(t, err)
	assert.True(t, a.InGroup(esia.GroupGospublikiInstitution))
	assert.False(t, a.InGroup(esia.GroupGospublikiEditorial))

	// The organisation card and groups may be read with another token.
	var sysAuth []string
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000474775", func(r *http.Request) (*http.Response, error) {
		sysAuth = append(sysAuth, r.Header.Get("Authorization"))
		return httpmock.NewStringResponse(200, sprintf(orgJSON, orgOID)), nil
	})
	_, err = c.Authority(t.Context(), ts, orgOID, esia.AuthorityOrgToken(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "SYS"})))
	require.NoError(t, err)
	assert.Equal(t, []string{"Bearer SYS"}, sysAuth)
}

func TestAuthorityRejects(t *testing.T) {
	t.Parallel()
	c, mt := authorityClient(t)
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000000003/emps/1000328686/grps", httpmock.NewStringResponder(200,
		`{"size":1,"elements":[{"name":"Другая группа"}]}`))
	ts := staticTS()
	for name, tc := range map[string]struct {
		org    int64
		opts   []esia.AuthorityOption
		reason esia.Reason
	}{
		"not employee":       {999, nil, esia.ReasonNotEmployee},
		"blocked chief":      {1000000002, nil, esia.ReasonBlocked},
		"neither":            {1000000003, nil, esia.ReasonNotChiefOrAdmin},
		"not in group":       {1000000003, []esia.AuthorityOption{esia.AuthorityRequireGroup(esia.GroupGospublikiInstitution)}, esia.ReasonNotInGroup},
		"blocked with group": {1000000002, []esia.AuthorityOption{esia.AuthorityRequireGroup("x")}, esia.ReasonBlocked},
	} {
		opts := append([]esia.AuthorityOption{esia.AuthorityPerson(personOID)}, tc.opts...)
		_, err := c.Authority(t.Context(), ts, tc.org, opts...)
		require.ErrorIs(t, err, esia.ErrNotAuthorized, name)
		var ae *esia.AuthorityError
		require.ErrorAs(t, err, &ae, name)
		assert.Equal(t, tc.reason, ae.Reason, name)
		assert.Equal(t, personOID, ae.PersonOID, name)
		assert.Equal(t, tc.org, ae.OrgOID, name)
		assert.NotEmpty(t, ae.Error())
	}

	// Group membership replaces chief/admin with AuthorityRequireGroup.
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000000003/emps/1000328686/grps", httpmock.NewStringResponder(200,
		`{"size":1,"elements":[{"name":"ПОС. Госпаблики. Кабинет учреждения"}]}`))
	a, err := c.Authority(t.Context(), ts, 1000000003, esia.AuthorityPerson(personOID), esia.AuthorityRequireGroup(esia.GroupGospublikiInstitution))
	require.NoError(t, err)
	assert.False(t, a.Chief || a.Admin)

	// Without AuthorityPerson the access token must verify.
	_, err = c.Authority(t.Context(), ts, orgOID)
	require.ErrorIs(t, err, esia.ErrTokenMalformed)
	bad := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: makeJWT(t, gostJWTSigner(t, "esia2"), accessClaims(), nil)})
	_, err = c.Authority(t.Context(), bad, orgOID)
	require.ErrorIs(t, err, esia.ErrTokenSignature)

	// REST errors pass through.
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1000328686/roles", httpmock.NewStringResponder(403,
		`{"code":"ESIA-005029","message":"SecurityErrorEnum.scopeNotAllowed"}`))
	_, err = c.Authority(t.Context(), ts, orgOID, esia.AuthorityPerson(personOID))
	require.ErrorIs(t, err, esia.ErrScopeNotAllowed)
	_, err = c.Authority(t.Context(), ts, 0, esia.AuthorityPerson(personOID))
	require.Error(t, err)
}
