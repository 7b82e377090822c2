package esia

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/internal/transport"
)

// Embed names a collection [Client.Person] embeds in the card.
type Embed string

// Embeds for [Client.Person].
const (
	EmbedContacts  Embed = "contacts.elements"  // contacts (ctts)
	EmbedDocuments Embed = "documents.elements" // identity documents (docs)
	EmbedAddresses Embed = "addresses.elements" // addresses (addrs)
)

// maxRefs bounds how many linked elements a list call resolves one by one.
const maxRefs = 500

// embedParam formats ESIA's embed parameter: "(a,b)".
func embedParam(items ...string) string { return "(" + strings.Join(items, ",") + ")" }

// getJSON sends an authenticated GET for path (relative to the base URL,
// or an absolute URL under it) and decodes the JSON answer into out.
func (c *Client) getJSON(ctx context.Context, op string, ts oauth2.TokenSource, path string, query url.Values, out any, opts ...core.CallOption) error {
	if ts == nil {
		return fmt.Errorf("esia: %s: nil token source", op)
	}
	tok, err := ts.Token()
	if err != nil {
		return fmt.Errorf("esia: %s: token: %w", op, err)
	}
	if tok == nil || tok.AccessToken == "" {
		return fmt.Errorf("esia: %s: empty access token", op)
	}
	u := c.endpoint(path)
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	call := &transport.Call{
		Operation:  op,
		Method:     http.MethodGet,
		URL:        u,
		Header:     http.Header{"Authorization": {"Bearer " + tok.AccessToken}, "Accept": {"application/json"}},
		Idempotent: true,
		LimitKeys:  []string{c.keyREST},
	}
	resp, err := c.tc.Do(ctx, call, opts...)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return transport.Finish(call, resp, parseErrorBody(op, resp.StatusCode, resp.Body).scrub(tok.AccessToken))
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("esia: %s: decoding answer: %w", op, err)
	}
	return nil
}

// refPath turns an element URL into a path under the base URL. References
// to other hosts are refused: the bearer token must not leave ESIA.
func (c *Client) refPath(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("esia: bad element reference: %w", err)
	}
	if u.IsAbs() || u.Host != "" {
		if u.Host != c.base.Host {
			return "", fmt.Errorf("esia: element reference to another host %q refused", u.Host)
		}
	}
	p := u.EscapedPath()
	basePath := c.base.EscapedPath()
	if basePath != "" && strings.HasPrefix(p, basePath+"/") {
		p = strings.TrimPrefix(p, basePath)
	}
	if !strings.HasPrefix(p, "/rs/") {
		return "", fmt.Errorf("esia: element reference outside /rs/ refused")
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p, nil
}

// list reads a collection with embed=(elements) and resolves elements that
// came as links anyway.
func list[T any](ctx context.Context, c *Client, op string, ts oauth2.TokenSource, path string, embed bool, opts []core.CallOption) ([]T, error) {
	var q url.Values
	if embed {
		q = url.Values{"embed": {embedParam("elements")}}
	}
	var coll Collection[T]
	if err := c.getJSON(ctx, op, ts, path, q, &coll, opts...); err != nil {
		return nil, err
	}
	out := coll.Elements
	if len(coll.Refs) > maxRefs {
		return nil, fmt.Errorf("esia: %s: %d linked elements, more than %d", op, len(coll.Refs), maxRefs)
	}
	for _, ref := range coll.Refs {
		p, err := c.refPath(ref)
		if err != nil {
			return nil, err
		}
		pp, rq, _ := strings.Cut(p, "?")
		var query url.Values
		if rq != "" {
			if query, err = url.ParseQuery(rq); err != nil {
				return nil, fmt.Errorf("esia: bad element reference: %w", err)
			}
		}
		var v T
		if err := c.getJSON(ctx, op, ts, pp, query, &v, opts...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func oidPath(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteByte('/')
		switch p := p.(type) {
		case int64:
			b.WriteString(strconv.FormatInt(p, 10))
		case string:
			b.WriteString(url.PathEscape(p))
		}
	}
	return b.String()
}

func checkOID(what string, oid int64) error {
	if oid <= 0 {
		return fmt.Errorf("esia: invalid %s oid %d", what, oid)
	}
	return nil
}

// Person reads the person card /rs/prns/{oid}; embed lists collections to
// embed (EmbedContacts, EmbedDocuments, ...). Scopes: fullname, birthdate,
// gender, snils, inn, ... for that oid.
func (c *Client) Person(ctx context.Context, ts oauth2.TokenSource, oid int64, embed ...Embed) (*Person, error) {
	if err := checkOID("person", oid); err != nil {
		return nil, err
	}
	var q url.Values
	if len(embed) > 0 {
		items := make([]string, len(embed))
		for i, e := range embed {
			items[i] = string(e)
		}
		q = url.Values{"embed": {embedParam(items...)}}
	}
	var p Person
	if err := c.getJSON(ctx, "esia.person", ts, oidPath("rs", "prns", oid), q, &p); err != nil {
		return nil, err
	}
	p.OID = oid
	return &p, nil
}

// Contacts reads /rs/prns/{oid}/ctts (scopes email, mobile, contacts).
func (c *Client) Contacts(ctx context.Context, ts oauth2.TokenSource, oid int64, opts ...core.CallOption) ([]Contact, error) {
	if err := checkOID("person", oid); err != nil {
		return nil, err
	}
	return list[Contact](ctx, c, "esia.contacts", ts, oidPath("rs", "prns", oid, "ctts"), true, opts)
}

// Roles reads /rs/prns/{oid}/roles: the organisations the person works for,
// with the chief, admin and active flags (scope usr_org).
func (c *Client) Roles(ctx context.Context, ts oauth2.TokenSource, oid int64, opts ...core.CallOption) ([]Role, error) {
	if err := checkOID("person", oid); err != nil {
		return nil, err
	}
	return list[Role](ctx, c, "esia.roles", ts, oidPath("rs", "prns", oid, "roles"), false, opts)
}

// PersonOrgs reads /rs/prns/{oid}/orgs and returns the organisation oids
// (ESIA answers with links …/rs/orgs/{orgOid}).
func (c *Client) PersonOrgs(ctx context.Context, ts oauth2.TokenSource, oid int64, opts ...core.CallOption) ([]int64, error) {
	if err := checkOID("person", oid); err != nil {
		return nil, err
	}
	var coll Collection[Organization]
	if err := c.getJSON(ctx, "esia.person_orgs", ts, oidPath("rs", "prns", oid, "orgs"), nil, &coll, opts...); err != nil {
		return nil, err
	}
	out := make([]int64, 0, len(coll.Elements)+len(coll.Refs))
	for _, o := range coll.Elements {
		out = append(out, o.OID)
	}
	for _, ref := range coll.Refs {
		u, err := url.Parse(ref)
		if err != nil {
			return nil, fmt.Errorf("esia: bad organisation reference: %w", err)
		}
		seg := u.Path[strings.LastIndexByte(u.Path, '/')+1:]
		n, err := strconv.ParseInt(seg, 10, 64)
		if err != nil || n <= 0 {
			return nil, errors.New("esia: organisation reference without an oid")
		}
		out = append(out, n)
	}
	return out, nil
}

// Organization reads the organisation card /rs/orgs/{oid} (org_* scopes for
// that organisation, or a system token).
func (c *Client) Organization(ctx context.Context, ts oauth2.TokenSource, orgOID int64, opts ...core.CallOption) (*Organization, error) {
	if err := checkOID("organisation", orgOID); err != nil {
		return nil, err
	}
	var o Organization
	if err := c.getJSON(ctx, "esia.organization", ts, oidPath("rs", "orgs", orgOID), nil, &o, opts...); err != nil {
		return nil, err
	}
	if o.OID == 0 {
		o.OID = orgOID
	}
	return &o, nil
}

// Employees reads /rs/orgs/{oid}/emps.
func (c *Client) Employees(ctx context.Context, ts oauth2.TokenSource, orgOID int64, opts ...core.CallOption) ([]Employee, error) {
	if err := checkOID("organisation", orgOID); err != nil {
		return nil, err
	}
	return list[Employee](ctx, c, "esia.employees", ts, oidPath("rs", "orgs", orgOID, "emps"), true, opts)
}

// Employee reads /rs/orgs/{oid}/emps/{prnOID}.
func (c *Client) Employee(ctx context.Context, ts oauth2.TokenSource, orgOID, prnOID int64, opts ...core.CallOption) (*Employee, error) {
	if err := checkOID("organisation", orgOID); err != nil {
		return nil, err
	}
	if err := checkOID("person", prnOID); err != nil {
		return nil, err
	}
	var e Employee
	if err := c.getJSON(ctx, "esia.employee", ts, oidPath("rs", "orgs", orgOID, "emps", prnOID), nil, &e, opts...); err != nil {
		return nil, err
	}
	if e.OID == 0 {
		e.OID = prnOID
	}
	return &e, nil
}

// OrgGroups reads the organisation's access groups /rs/orgs/{oid}/grps.
func (c *Client) OrgGroups(ctx context.Context, ts oauth2.TokenSource, orgOID int64, opts ...core.CallOption) ([]Group, error) {
	if err := checkOID("organisation", orgOID); err != nil {
		return nil, err
	}
	return list[Group](ctx, c, "esia.org_groups", ts, oidPath("rs", "orgs", orgOID, "grps"), true, opts)
}

// EmployeeGroups reads the access groups of one employee
// /rs/orgs/{oid}/emps/{prnOID}/grps. Without the right scope ESIA answers
// ESIA-005029 (errors.Is(err, ErrScopeNotAllowed)).
func (c *Client) EmployeeGroups(ctx context.Context, ts oauth2.TokenSource, orgOID, prnOID int64, opts ...core.CallOption) ([]Group, error) {
	if err := checkOID("organisation", orgOID); err != nil {
		return nil, err
	}
	if err := checkOID("person", prnOID); err != nil {
		return nil, err
	}
	return list[Group](ctx, c, "esia.employee_groups", ts, oidPath("rs", "orgs", orgOID, "emps", prnOID, "grps"), true, opts)
}
