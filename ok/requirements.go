package ok

import (
	"context"
	"strings"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/social"
)

// Codes of the requirements CheckGroup reports, in order: the conditions
// OK sets before a group may ask for the «Госорганизация» mark through
// Gosuslugi. They are stable; a code shared with other networks ("photo",
// "description", "admins_two_factor") means the same there.
const (
	// ReqOpenGroup: the group is open (access_type OPEN).
	ReqOpenGroup social.RequirementCode = "open_group"
	// ReqPhoto: the group has a main photo.
	ReqPhoto social.RequirementCode = "photo"
	// ReqCity: the group's city is filled in.
	ReqCity social.RequirementCode = "city"
	// ReqGovCategory: the group's topic is one of «Госорганизации».
	ReqGovCategory social.RequirementCode = "gov_category"
	// ReqDescription: the group has a description.
	ReqDescription social.RequirementCode = "description"
	// ReqAdminsTwoFactor: every administrator uses two-factor
	// authentication («Двойная защита»). OK's API does not show it, so it
	// is always social.RequirementUnverifiable.
	ReqAdminsTwoFactor social.RequirementCode = "admins_two_factor"
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

// CheckGroup reports the conditions of the «Госорганизация» mark for a
// group, from group.getInfo: open group, main photo, city, a topic from
// «Госорганизации», description, and the administrators' two-factor
// authentication. Each is met, not met, or unverifiable: a field OK did
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
	rs = append(rs, check(ReqOpenGroup, "open group", g.Has("access_type"), g.AccessType == AccessOpen, "access_type",
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
	rs = append(rs, check(ReqGovCategory, "topic from «Госорганизации»", catKnown, c.govCategory(g.Category, g.Subcategory),
		"category", topic, "the group's topic ("+topic+") is not one of «Госорганизации»"))
	rs = append(rs, check(ReqDescription, "description", g.Has("description"), strings.TrimSpace(g.Description) != "", "description",
		"present", "the group has no description"))
	rs = append(rs, social.Requirement{Code: ReqAdminsTwoFactor, Name: "administrators use two-factor authentication",
		Status: social.RequirementUnverifiable,
		Detail: "whether the administrators use «Двойная защита» " + CannotCheck + "; check it in each administrator's OK settings"})
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
