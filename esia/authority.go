package esia

import (
	"context"
	"fmt"

	"golang.org/x/oauth2"
)

// Well-known access groups of the feedback platform (POS) cabinets.
const (
	GroupGospublikiInstitution = "ПОС. Госпаблики. Кабинет учреждения" // institution cabinet
	GroupGospublikiEditorial   = "ПОС. Госпаблики. Кабинет редакции"   // editorial cabinet (regional and municipal bodies)
)

// Reason says why [Client.Authority] refused a user.
type Reason string

// Reasons of an [AuthorityError].
const (
	// ReasonNotEmployee: the organisation is not among the person's roles.
	ReasonNotEmployee Reason = "not an employee of the organisation"
	// ReasonBlocked: the person's role in the organisation is not active.
	ReasonBlocked Reason = "the employee account is blocked (active=false)"
	// ReasonNotChiefOrAdmin: the person is neither the head nor an
	// administrator of the organisation's profile.
	ReasonNotChiefOrAdmin Reason = "neither the chief nor an administrator of the organisation"
	// ReasonNotInGroup: the person is not in the access group required with
	// AuthorityRequireGroup.
	ReasonNotInGroup Reason = "not a member of the required access group"
)

// AuthorityError reports that a user may not act for an organisation. It
// matches [ErrNotAuthorized].
type AuthorityError struct {
	// PersonOID and OrgOID identify the user and the organisation.
	PersonOID, OrgOID int64
	// Reason is why the user was refused.
	Reason Reason
	// Group is the required group for ReasonNotInGroup.
	Group string
}

// Error implements error.
func (e *AuthorityError) Error() string {
	s := fmt.Sprintf("esia: person %d may not act for organisation %d: %s", e.PersonOID, e.OrgOID, e.Reason)
	if e.Group != "" {
		s += fmt.Sprintf(" %q", e.Group)
	}
	return s
}

// Is reports whether target is ErrNotAuthorized.
func (e *AuthorityError) Is(target error) bool { return target == ErrNotAuthorized }

// OrgAuthority is what [Client.Authority] found: the user's role in the
// organisation and the organisation card.
type OrgAuthority struct {
	// PersonOID is the user's oid.
	PersonOID int64
	// Role is the user's element of /rs/prns/{oid}/roles for the
	// organisation.
	Role Role
	// Chief and Admin repeat Role.Chief and Role.Admin.
	Chief, Admin bool
	// Organization is the organisation card (OGRN, INN, KPP, agency type,
	// territory, OKTMO).
	Organization *Organization
	// Groups are the user's access groups in the organisation, read when
	// AuthorityGroups or AuthorityRequireGroup was given (nil otherwise).
	Groups []Group
}

// InGroup reports whether the user is in the access group named name (by
// name or id). It is false when groups were not read.
func (a *OrgAuthority) InGroup(name string) bool {
	for i := range a.Groups {
		if a.Groups[i].Matches(name) {
			return true
		}
	}
	return false
}

// AuthorityOption configures [Client.Authority].
type AuthorityOption func(*authorityOptions)

type authorityOptions struct {
	personOID    int64
	readGroups   bool
	requireGroup string
	orgTS        oauth2.TokenSource
}

// AuthorityPerson names the user's oid instead of reading it from the
// verified access token (for callers without ESIA's certificates; ESIA's
// REST API still refuses a token of another person).
func AuthorityPerson(oid int64) AuthorityOption {
	return func(o *authorityOptions) { o.personOID = oid }
}

// AuthorityGroups makes Authority read the user's access groups
// (/rs/orgs/{oid}/emps/{oid}/grps) into OrgAuthority.Groups; test them with
// [OrgAuthority.InGroup].
func AuthorityGroups() AuthorityOption {
	return func(o *authorityOptions) { o.readGroups = true }
}

// AuthorityRequireGroup replaces the chief-or-administrator rule by
// membership of the access group name (e.g. [GroupGospublikiInstitution]):
// any active employee in that group is accepted. Groups are read.
func AuthorityRequireGroup(name string) AuthorityOption {
	return func(o *authorityOptions) { o.requireGroup = name; o.readGroups = true }
}

// AuthorityOrgToken reads the organisation card and the groups with ts (for
// instance [Client.SystemTokenSource]) instead of the user's token.
func AuthorityOrgToken(ts oauth2.TokenSource) AuthorityOption {
	return func(o *authorityOptions) { o.orgTS = ts }
}

// Authority answers "who is this user for organisation orgOID": it reads the
// user's roles (/rs/prns/{oid}/roles, scope usr_org) and accepts the user
// only when the organisation's role is active and the user is its chief or
// an administrator (or, with AuthorityRequireGroup, a member of the group);
// otherwise it returns an [*AuthorityError] (errors.Is(err,
// ErrNotAuthorized)) with the reason. It then reads the organisation card
// (/rs/orgs/{oid}) and, when asked, the user's access groups.
//
// The user's oid comes from the access token, which is verified first
// ([Client.VerifyAccessToken]) unless AuthorityPerson is given.
func (c *Client) Authority(ctx context.Context, ts oauth2.TokenSource, orgOID int64, opts ...AuthorityOption) (*OrgAuthority, error) {
	var o authorityOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if err := checkOID("organisation", orgOID); err != nil {
		return nil, err
	}
	if ts == nil {
		return nil, fmt.Errorf("esia: authority: nil token source")
	}
	person := o.personOID
	if person == 0 {
		tok, err := ts.Token()
		if err != nil {
			return nil, fmt.Errorf("esia: authority: token: %w", err)
		}
		claims, err := c.VerifyAccessToken(tok.AccessToken)
		if err != nil {
			return nil, fmt.Errorf("esia: authority: %w", err)
		}
		person = claims.SbjID
	}
	if err := checkOID("person", person); err != nil {
		return nil, err
	}
	roles, err := c.Roles(ctx, ts, person)
	if err != nil {
		return nil, err
	}
	var role *Role
	for i := range roles {
		if roles[i].OID == orgOID {
			role = &roles[i]
			break
		}
	}
	deny := func(r Reason, group string) error {
		return &AuthorityError{PersonOID: person, OrgOID: orgOID, Reason: r, Group: group}
	}
	if role == nil {
		return nil, deny(ReasonNotEmployee, "")
	}
	if !role.Active {
		return nil, deny(ReasonBlocked, "")
	}
	if o.requireGroup == "" && !role.Chief && !role.Admin {
		return nil, deny(ReasonNotChiefOrAdmin, "")
	}
	orgTS := ts
	if o.orgTS != nil {
		orgTS = o.orgTS
	}
	a := &OrgAuthority{PersonOID: person, Role: *role, Chief: role.Chief, Admin: role.Admin}
	if o.readGroups {
		groups, err := c.EmployeeGroups(ctx, orgTS, orgOID, person)
		if err != nil {
			return nil, err
		}
		a.Groups = groups
		if a.Groups == nil {
			a.Groups = []Group{}
		}
		if o.requireGroup != "" && !a.InGroup(o.requireGroup) {
			return nil, deny(ReasonNotInGroup, o.requireGroup)
		}
	}
	org, err := c.Organization(ctx, orgTS, orgOID)
	if err != nil {
		return nil, err
	}
	a.Organization = org
	return a, nil
}
