package vk

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/gospubliki/gosdk/social"
)

// ReqManagers is the requirement CheckCommunity reports besides the
// shared ones (social.ReqOpen, ...): the managers and their roles can be
// read and include an administrator or the creator (groups.getMembers
// filter=managers). It is stable.
const ReqManagers social.RequirementCode = "managers"

// GovCategoryNames are the names of the public category «Государственная
// организация» as public_category_list writes it (compared without case).
// VK does not document the category's numeric id, so CheckCommunity finds
// it by name in the list groups.getSettings returns, at every check.
var GovCategoryNames = []string{"Государственная организация", "Government organization", "Government organisation"}

// MarkOf returns the «Госорганизация» mark of g (is_government_organization;
// social.MarkUnknown when VK did not send it).
func MarkOf(g *Group) social.Mark { return social.MarkOf(g.GovMark()) }

// CommunityReport is the «Госорганизация» report of one community.
type CommunityReport struct {
	GroupID int64
	Name    string
	// Requirements are the checklist, in this order: social.ReqOpen,
	// ReqPhoto, ReqDescription, ReqCity, ReqCategoryGovernment, then
	// vk.ReqManagers, social.ReqAdminsTwoFactor and social.ReqGovMark.
	Requirements social.Requirements
	// Mark is the «Госорганизация» mark itself.
	Mark social.Mark
	// Verified is the blue check, reported apart from the mark: it is a
	// different distinction.
	Verified bool
	// Managers are the managers with their roles, when they could be read.
	Managers []Member
	// GovCategoryID is the id of «Государственная организация» found in
	// public_category_list (0 when it could not be read).
	GovCategoryID int64
}

// CheckCommunity reports the «Госорганизация» requirements of a community.
// Calls: groups.getById, groups.getMembers filter=managers and, with a user
// token, groups.getSettings. What the token cannot read is
// social.RequirementUnverifiable with the reason, never guessed; the
// managers' 2FA is always unverifiable. An error means the community
// could not be read at all.
func (c *Client) CheckCommunity(ctx context.Context, groupID int64) (*CommunityReport, error) {
	g, err := c.GetGroup(ctx, groupID)
	if err != nil {
		return nil, err
	}
	return c.checkGroup(ctx, g), nil
}

// CheckCommunities reports on many communities: one groups.getById per
// 500 ids, then the per-community reads concurrently (a client with
// WithBatching sends them as execute batches of 25). Reports are in the
// order of ids; an id VK did not return has a nil report.
func (c *Client) CheckCommunities(ctx context.Context, ids []int64) ([]*CommunityReport, error) {
	groups, err := c.GetGroups(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Group, len(groups))
	for i := range groups {
		byID[groups[i].ID] = &groups[i]
	}
	out := make([]*CommunityReport, len(ids))
	sem := make(chan struct{}, maxConcurrentChecks)
	var wg sync.WaitGroup
	for i, id := range ids {
		g := byID[abs(id)]
		if g == nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = c.checkGroup(ctx, g)
		}()
	}
	wg.Wait()
	return out, ctx.Err()
}

func (c *Client) checkGroup(ctx context.Context, g *Group) *CommunityReport {
	rep := &CommunityReport{GroupID: g.ID, Name: g.Name, Mark: MarkOf(g), Verified: bool(g.Verified)}
	var (
		wg       sync.WaitGroup
		managers []Member
		mErr     error
		settings *GroupSettings
		sErr     error
	)
	wg.Add(1)
	go func() { defer wg.Done(); managers, mErr = c.Managers(ctx, g.ID) }()
	if c.kind == UserToken {
		wg.Add(1)
		go func() { defer wg.Done(); settings, sErr = c.GroupsGetSettings(ctx, g.ID) }()
	}
	wg.Wait()

	req := func(code social.RequirementCode, name string, met bool, yes, no string) social.Requirement {
		r := social.Requirement{Code: code, Name: name, Status: social.RequirementNotMet, Detail: no}
		if met {
			r.Status, r.Detail = social.RequirementMet, yes
		}
		return r
	}
	rs := social.Requirements{
		req(social.ReqOpen, "community is open", g.IsClosed == AccessOpen, "open",
			"the community is "+map[int]string{AccessClosed: "closed", AccessPrivate: "private"}[g.IsClosed]),
		req(social.ReqPhoto, "main photo", bool(g.HasPhoto), "set", "no main photo"),
		req(social.ReqDescription, "description", strings.TrimSpace(g.Description) != "", "set", "no description"),
		req(social.ReqCity, "city", g.City != nil && g.City.ID != 0, cityName(g.City), "no city"),
	}
	rs = append(rs, categoryRequirement(c.kind, settings, sErr, rep))
	rs = append(rs, managersRequirement(managers, mErr))
	if mErr == nil {
		rep.Managers = managers
	}
	rs = append(rs, social.Requirement{Code: social.ReqAdminsTwoFactor, Name: "managers use two-factor authentication",
		Status: social.RequirementUnverifiable, Detail: social.CannotCheck + ": VK shows no user's 2FA state"})
	rep.Requirements = append(rs, social.MarkRequirement(rep.Mark, "is_government_organization"))
	return rep
}

func cityName(p *Place) string {
	if p == nil {
		return ""
	}
	return p.Title
}

// GovCategoryID finds «Государственная организация» in list (top level or
// subcategory) and returns its id.
func GovCategoryID(list []Category) (int64, bool) {
	var find func([]Category) (int64, bool)
	find = func(cs []Category) (int64, bool) {
		for _, c := range cs {
			for _, n := range GovCategoryNames {
				if strings.EqualFold(strings.TrimSpace(c.Name), n) {
					return c.ID, true
				}
			}
			if id, ok := find(c.Subcategories); ok {
				return id, true
			}
		}
		return 0, false
	}
	return find(list)
}

func categoryRequirement(kind TokenKind, s *GroupSettings, err error, rep *CommunityReport) social.Requirement {
	r := social.Requirement{Code: social.ReqCategoryGovernment, Name: "public category «Государственная организация»", Status: social.RequirementUnverifiable}
	switch {
	case kind != UserToken:
		r.Detail = "cannot be checked with a " + kind.String() + " token: groups.getSettings needs a manager's user token"
	case err != nil:
		r.Detail = "groups.getSettings failed: " + err.Error()
	default:
		id, ok := GovCategoryID(s.PublicCategoryList)
		if !ok {
			r.Detail = "public_category_list has no «Государственная организация»"
			return r
		}
		rep.GovCategoryID = id
		if s.PublicCategory == id || s.PublicSubcategory == id {
			r.Status, r.Detail = social.RequirementMet, "category "+strconv.FormatInt(id, 10)
		} else {
			r.Status = social.RequirementNotMet
			r.Detail = "category is " + strconv.FormatInt(s.PublicCategory, 10) + ", want " + strconv.FormatInt(id, 10)
		}
	}
	return r
}

func managersRequirement(ms []Member, err error) social.Requirement {
	r := social.Requirement{Code: ReqManagers, Name: "managers and their roles"}
	if err != nil {
		var ve *Error
		r.Status = social.RequirementUnverifiable
		if errors.As(err, &ve) {
			r.Detail = "cannot read the managers: " + ve.Error()
		} else {
			r.Detail = "cannot read the managers: " + err.Error()
		}
		return r
	}
	parts := make([]string, 0, len(ms))
	admin := false
	for _, m := range ms {
		parts = append(parts, "id"+strconv.FormatInt(m.ID, 10)+" "+m.Role)
		admin = admin || m.Role == RoleAdministrator || m.Role == RoleCreator
	}
	r.Detail = strings.Join(parts, ", ")
	if admin {
		r.Status = social.RequirementMet
	} else {
		r.Status = social.RequirementNotMet
		if r.Detail == "" {
			r.Detail = "no managers"
		} else {
			r.Detail = "no administrator: " + r.Detail
		}
	}
	return r
}

// maxConcurrentChecks bounds the communities CheckCommunities reads at
// once: enough calls in flight to fill executes of 25, and a bounded number
// of goroutines however many ids are given.
const maxConcurrentChecks = 500
