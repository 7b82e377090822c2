package ok

import (
	"context"
	"strings"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/social"
)

// Codes of the requirements CheckGroup reports, in order: the conditions
// OK sets before a group may ask for the «Госорганизация» mark through
// Gosuslugi, then the mark itself. They are stable; the codes are the
// ones the other networks use for the same conditions ("open", "photo",
// "city", "category_government", "description", "admins_two_factor",
// "gov_mark").
const (
	// ReqOpen: the group is open (access_type OPEN).
	ReqOpen social.RequirementCode = "open"
	// ReqPhoto: the group has a main photo.
	ReqPhoto social.RequirementCode = "photo"
	// ReqCity: the group's city is filled in.
	ReqCity social.RequirementCode = "city"
	// ReqCategory: the group's topic is one of «Госорганизации».
	ReqCategory social.RequirementCode = "category_government"
	// ReqDescription: the group has a description.
	ReqDescription social.RequirementCode = "description"
	// ReqAdminsTwoFactor: every administrator uses two-factor
	// authentication («Двойная защита»). OK's API does not show it, so it
	// is always social.RequirementUnverifiable.
	ReqAdminsTwoFactor social.RequirementCode = "admins_two_factor"
	// ReqGovMark: the group carries the «Госорганизация» mark (gos_org);
	// unverifiable when OK does not return the field.
	ReqGovMark social.RequirementCode = "gov_mark"
)

// DefaultGovCategories returns the topic names CheckGroup accepts as
// «Госорганизации» (compared without case, against category and
// subcategory); any topic containing "госорганизац" is accepted as well.
// Replace them with WithGovCategories.
func DefaultGovCategories() []string {
	return []string{"Госорганизация", "Госорганизации", "GOVERNMENT_ORGANIZATION", "GOS_ORG"}
}

// WithGovCategories sets the topic names CheckGroup accepts as
// «Госорганизации» instead of DefaultGovCategories().
func WithGovCategories(names ...string) core.Option {
	return core.PartyOption("ok.WithGovCategories", func(s *settings) error {
		s.govCategories = append([]string(nil), names...)
		return nil
	})
}

// CannotCheck is the detail of a requirement OK's API cannot show.
const CannotCheck = "cannot be checked through the API"

// requirementFields are the group.getInfo fields CheckGroup reads.
var requirementFields = []string{"uid", "name", "access_type", "photo_id", "pic_avatar", "city", "category", "subcategory", "description", "gos_org"}

// markRequirement reports the mark itself.
func markRequirement(g *Group) social.Requirement {
	r := social.Requirement{Code: ReqGovMark, Name: "«Госорганизация» mark"}
	switch {
	case g.GosOrg == nil:
		r.Status, r.Detail = social.RequirementUnverifiable, "OK did not return gos_org; "+CannotCheck
	case *g.GosOrg:
		r.Status, r.Detail = social.RequirementMet, "gos_org is set"
	default:
		r.Status, r.Detail = social.RequirementNotMet, "the group has no «Госорганизация» mark; request it in the group's settings («Подтвердить через Госуслуги»)"
	}
	return r
}

// CheckGroup reports the conditions of the «Госорганизация» mark for a
// group, from group.getInfo: open group, main photo, city, a topic from
// «Госорганизации», description, the administrators' two-factor
// authentication, and then whether the group has the mark. Each is met, not met, or unverifiable: a field OK did
// not return is unverifiable (never guessed), and the administrators'
// two-factor authentication is always unverifiable ("cannot be checked
// through the API"), so a good group's report is not AllMet; check NotMet
// for what must be fixed and Unverifiable for what a person confirms in
// the group's settings.
//
// An error means the report could not be made (no such group, a bad
// token); unmet conditions are reported in the list.
func (c *Client) CheckGroup(ctx context.Context, groupID string, opts ...core.CallOption) (social.Requirements, error) {
	if groupID == "" {
		return nil, invalid("checkGroup", "no group id")
	}
	g, err := c.GetGroup(ctx, groupID, requirementFields, opts...)
	if err != nil {
		return nil, err
	}
	return c.requirements(g), nil
}

func (c *Client) requirements(g *Group) social.Requirements {
	cannot := func(code social.RequirementCode, name, field string) social.Requirement {
		return social.Requirement{Code: code, Name: name, Status: social.RequirementUnverifiable,
			Detail: "OK did not return " + field + "; " + CannotCheck}
	}
	check := func(code social.RequirementCode, name string, known, met bool, field, ok, missing string) social.Requirement {
		switch {
		case !known:
			return cannot(code, name, field)
		case met:
			return social.Requirement{Code: code, Name: name, Status: social.RequirementMet, Detail: ok}
		}
		return social.Requirement{Code: code, Name: name, Status: social.RequirementNotMet, Detail: missing}
	}
	var rs social.Requirements
	rs = append(rs, check(ReqOpen, "open group", g.Has("access_type"), g.AccessType == AccessOpen, "access_type",
		"access type OPEN", "access type is "+g.AccessType+", not OPEN"))

	photoKnown, hasPhoto := false, false
	switch {
	case g.Has("photo_id"):
		photoKnown, hasPhoto = true, g.PhotoID != ""
	case g.Has("pic_avatar"):
		photoKnown, hasPhoto = true, g.PicAvatar != "" && !strings.Contains(strings.ToLower(g.PicAvatar), "stub")
	}
	rs = append(rs, check(ReqPhoto, "main photo", photoKnown, hasPhoto, "photo_id or pic_avatar", "present", "the group has no main photo"))
	rs = append(rs, check(ReqCity, "city", g.Has("city"), strings.TrimSpace(g.City) != "", "city", g.City, "the group's city is not filled in"))

	catKnown := g.Has("category") || g.Has("subcategory")
	topic := g.Category
	if g.Subcategory != "" {
		topic += " / " + g.Subcategory
	}
	rs = append(rs, check(ReqCategory, "topic from «Госорганизации»", catKnown, c.govCategory(g.Category, g.Subcategory),
		"category", topic, "the group's topic ("+topic+") is not one of «Госорганизации»"))
	rs = append(rs, check(ReqDescription, "description", g.Has("description"), strings.TrimSpace(g.Description) != "", "description",
		"present", "the group has no description"))
	rs = append(rs, social.Requirement{Code: ReqAdminsTwoFactor, Name: "administrators use two-factor authentication",
		Status: social.RequirementUnverifiable,
		Detail: "whether the administrators use «Двойная защита» " + CannotCheck + "; check it in each administrator's OK settings"})
	rs = append(rs, markRequirement(g))
	return rs
}

// govCategory reports whether a topic is one of «Госорганизации».
func (c *Client) govCategory(category, subcategory string) bool {
	names := c.govCats
	if names == nil {
		names = DefaultGovCategories()
	}
	for _, t := range []string{category, subcategory} {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if strings.Contains(strings.ToLower(t), "госорганизац") {
			return true
		}
		for _, n := range names {
			if strings.EqualFold(t, n) {
				return true
			}
		}
	}
	return false
}
