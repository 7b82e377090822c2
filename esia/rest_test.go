package esia_test

import (
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/internal/transport"
)

func staticTS() oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testAccess})
}

const personJSON = `{
 "stateFacts":["EntityRoot"],"firstName":"Имя","lastName":"Фамилия","middleName":"Отчество",
 "birthDate":"01.01.1990","birthPlace":"Москва","gender":"M","trusted":true,"citizenship":"RUS",
 "snils":"000-000-600 06","inn":"585204118212","updatedOn":1620000000,"status":"REGISTERED","eTag":"E1",
 "contacts":{"stateFacts":["hasSize"],"size":2,"elements":[
   {"stateFacts":["Identifiable"],"id":14216,"type":"EML","vrfStu":"VERIFIED","value":"user@example.ru","eTag":"C1"},
   {"id":"14217","type":"MBT","vrfStu":"NOT_VERIFIED","value":"+7(900)0000000"}]},
 "unmapped":{"x":1}}`

func TestPerson(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	var rec recorder
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1000328686", rec.wrap(httpmock.NewStringResponder(200, personJSON)))
	p, err := c.Person(t.Context(), staticTS(), personOID, esia.EmbedContacts, esia.EmbedDocuments)
	require.NoError(t, err)
	r := rec.last(t)
	assert.Equal(t, "Bearer "+testAccess, r.Header.Get("Authorization"))
	assert.Equal(t, "(contacts.elements,documents.elements)", r.URL.Query().Get("embed"))
	assert.Equal(t, personOID, p.OID)
	assert.Equal(t, "Фамилия", p.LastName)
	assert.Equal(t, "01.01.1990", p.BirthDate)
	assert.Equal(t, "000-000-600 06", p.SNILS)
	assert.Equal(t, "1620000000", p.UpdatedOn)
	assert.True(t, p.Trusted)
	require.NotNil(t, p.Contacts)
	assert.Equal(t, 2, p.Contacts.Size)
	require.Len(t, p.Contacts.Elements, 2)
	assert.Equal(t, int64(14216), p.Contacts.Elements[0].ID)
	assert.Equal(t, int64(14217), p.Contacts.Elements[1].ID)
	assert.Equal(t, esia.ContactEmail, p.Contacts.Elements[0].Type)
	assert.Equal(t, esia.ContactVerified, p.Contacts.Elements[0].VrfStu)
	assert.Contains(t, string(p.Raw), "unmapped")

	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/5", httpmock.NewStringResponder(200,
		`{"firstName":"A","contacts":"https://esia.test/rs/prns/5/ctts"}`))
	p, err = c.Person(t.Context(), staticTS(), 5)
	require.NoError(t, err)
	assert.Equal(t, "https://esia.test/rs/prns/5/ctts", p.Contacts.Link)
}

func TestContactsEmbeddedAndLinked(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	var rec recorder
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1000328686/ctts", rec.wrap(httpmock.NewStringResponder(200,
		`{"stateFacts":["hasSize"],"size":2,"elements":[
		  {"id":1,"type":"EML","vrfStu":"VERIFIED","value":"a@b.ru"},
		  "https://esia.test/rs/prns/1000328686/ctts/2"]}`)))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1000328686/ctts/2", rec.wrap(httpmock.NewStringResponder(200,
		`{"id":2,"type":"MBT","vrfStu":"VERIFIED","value":"+7(900)1111111"}`)))
	cs, err := c.Contacts(t.Context(), staticTS(), personOID)
	require.NoError(t, err)
	require.Len(t, cs, 2)
	assert.Equal(t, "a@b.ru", cs[0].Value)
	assert.Equal(t, "+7(900)1111111", cs[1].Value)
	assert.Equal(t, "(elements)", rec.reqs[0].URL.Query().Get("embed"))
	assert.Equal(t, "Bearer "+testAccess, rec.reqs[1].Header.Get("Authorization"))

	// A link to another host is never followed with the token.
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/7/ctts", httpmock.NewStringResponder(200,
		`{"size":1,"elements":["https://evil.example/rs/prns/7/ctts/1"]}`))
	_, err = c.Contacts(t.Context(), staticTS(), 7)
	require.ErrorContains(t, err, "another host")
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/8/ctts", httpmock.NewStringResponder(200,
		`{"size":1,"elements":["https://esia.test/aas/oauth2/v3/te"]}`))
	_, err = c.Contacts(t.Context(), staticTS(), 8)
	require.ErrorContains(t, err, "outside /rs/")
}

const rolesJSON = `{"stateFacts":["hasSize"],"size":3,"elements":[
 {"oid":1000474775,"prnOid":1000328686,"fullName":"Министерство тестов","shortName":"Минтест","ogrn":"1047702026701",
  "type":"AGENCY","chief":false,"admin":true,"active":true,"phone":"+7(495)0000000","email":"a@gov.ru",
  "hasRightOfSubstitution":true,"hasApprovalTabAccess":false,"isLiquidated":false},
 {"oid":"1000000002","prnOid":1000328686,"fullName":"ООО Ромашка","ogrn":"1027700198767","type":"LEGAL","chief":true,"admin":false,"active":false},
 {"oid":1000000003,"prnOid":1000328686,"fullName":"Школа","ogrn":"1027700198767","type":"AGENCY","chief":false,"admin":false,"active":true,
  "branchName":"Филиал","branchOid":77}]}`

func TestRolesAndOrgs(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1000328686/roles", httpmock.NewStringResponder(200, rolesJSON))
	roles, err := c.Roles(t.Context(), staticTS(), personOID)
	require.NoError(t, err)
	require.Len(t, roles, 3)
	r := roles[0]
	assert.Equal(t, orgOID, r.OID)
	assert.Equal(t, personOID, r.PrnOID)
	assert.Equal(t, "1047702026701", r.OGRN)
	assert.Equal(t, esia.OrgAgency, r.Type)
	assert.True(t, r.Admin && r.Active && !r.Chief && r.HasRightOfSubstitution)
	assert.Equal(t, int64(1000000002), roles[1].OID)
	assert.Equal(t, int64(77), roles[2].BranchOID)

	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1000328686/orgs", httpmock.NewStringResponder(200,
		`{"stateFacts":["hasSize"],"size":2,"elements":["https://esia.test/rs/orgs/1000474775","https://esia.test/rs/orgs/1000000002"]}`))
	oids, err := c.PersonOrgs(t.Context(), staticTS(), personOID)
	require.NoError(t, err)
	assert.Equal(t, []int64{orgOID, 1000000002}, oids)

	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000474775", httpmock.NewStringResponder(200,
		`{"oid":1000474775,"fullName":"Министерство тестов","shortName":"Минтест","ogrn":"1047702026701","inn":"7710474375",
		  "kpp":"771001001","leg":"75101","agencyType":"10.FED","agencyTerRange":"00","oktmo":"45382000","type":"AGENCY",
		  "staffCount":"120","branchesCount":2,"isLiquidated":false,"eTag":"E"}`))
	org, err := c.Organization(t.Context(), staticTS(), orgOID)
	require.NoError(t, err)
	assert.Equal(t, "7710474375", org.INN)
	assert.Equal(t, "771001001", org.KPP)
	assert.Equal(t, esia.AgencyFederal, org.AgencyType)
	assert.Equal(t, "00", org.AgencyTerRange)
	assert.Equal(t, "45382000", org.OKTMO)
	assert.Equal(t, int64(120), org.StaffCount)
	assert.Equal(t, int64(2), org.BranchesCount)
}

func TestEmployeesAndGroups(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000474775/emps", httpmock.NewStringResponder(200,
		`{"size":2,"elements":[{"prnOid":1000328686,"chief":true,"active":true,"position":"Министр"},
		  "https://esia.test/rs/orgs/1000474775/emps/42"]}`))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000474775/emps/42", httpmock.NewStringResponder(200,
		`{"oid":42,"active":true,"position":"Пресс-секретарь","custom":"kept"}`))
	emps, err := c.Employees(t.Context(), staticTS(), orgOID)
	require.NoError(t, err)
	require.Len(t, emps, 2)
	assert.Equal(t, personOID, emps[0].OID)
	assert.True(t, emps[0].Chief)
	assert.Equal(t, int64(42), emps[1].OID)
	assert.Contains(t, string(emps[1].Raw), "custom")
	e, err := c.Employee(t.Context(), staticTS(), orgOID, 42)
	require.NoError(t, err)
	assert.Equal(t, "Пресс-секретарь", e.Position)

	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000474775/grps", httpmock.NewStringResponder(200,
		`{"size":2,"elements":[{"grp_id":"POS_GP_INST","name":"ПОС. Госпаблики. Кабинет учреждения","itSystem":"POS"},{"id":17,"name":"Другая"}]}`))
	gs, err := c.OrgGroups(t.Context(), staticTS(), orgOID)
	require.NoError(t, err)
	require.Len(t, gs, 2)
	assert.Equal(t, "POS_GP_INST", gs[0].ID)
	assert.True(t, gs[0].Matches(esia.GroupGospublikiInstitution))
	assert.True(t, gs[0].Matches("POS_GP_INST"))
	assert.Equal(t, "17", gs[1].ID)
	assert.False(t, gs[1].Matches(""))

	mt.RegisterResponder(http.MethodGet, testBase+"/rs/orgs/1000474775/emps/1000328686/grps", httpmock.NewStringResponder(403,
		`{"code":"ESIA-005029","message":"SecurityErrorEnum.scopeNotAllowed"}`))
	_, err = c.EmployeeGroups(t.Context(), staticTS(), orgOID, personOID)
	require.ErrorIs(t, err, esia.ErrScopeNotAllowed)
	var ee *esia.Error
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 403, ee.Status)
	assert.Equal(t, "esia.employee_groups", ee.Operation)
}

func TestRESTErrors(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t, baseConfig(t))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/1", httpmock.NewStringResponder(401,
		`{"code":"ESIA-005011","message":"SecurityErrorEnum.invalidToken"}`))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/2", httpmock.NewStringResponder(401,
		`{"code":"ESIA-005013","message":"SecurityErrorEnum.expiredToken"}`))
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/3", httpmock.NewStringResponder(404, `not found`))
	var n int
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/4", func(*http.Request) (*http.Response, error) {
		n++
		if n < 3 {
			return httpmock.NewStringResponse(503, "busy"), nil
		}
		return httpmock.NewStringResponse(200, `{"firstName":"Retried"}`), nil
	})
	mt.RegisterResponder(http.MethodGet, testBase+"/rs/prns/5", httpmock.NewStringResponder(429, `{}`).HeaderSet(http.Header{"Retry-After": {"3600"}}))

	_, err := c.Person(t.Context(), staticTS(), 1)
	require.ErrorIs(t, err, esia.ErrInvalidToken)
	assert.NotContains(t, err.Error(), testAccess)
	_, err = c.Person(t.Context(), staticTS(), 2)
	require.ErrorIs(t, err, esia.ErrTokenExpired)
	_, err = c.Person(t.Context(), staticTS(), 3)
	require.ErrorIs(t, err, esia.ErrNotFound)
	p, err := c.Person(t.Context(), staticTS(), 4)
	require.NoError(t, err, "idempotent reads are retried")
	assert.Equal(t, "Retried", p.FirstName)
	_, err = c.Person(t.Context(), staticTS(), 5)
	require.ErrorIs(t, err, transport.ErrRateLimited)
	_, err = c.Person(t.Context(), staticTS(), 0)
	require.Error(t, err)
	_, err = c.Person(t.Context(), nil, 1)
	require.Error(t, err)
	_, err = c.Person(t.Context(), oauth2.StaticTokenSource(&oauth2.Token{}), 1)
	require.Error(t, err)
}
