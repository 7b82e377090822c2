package ok

import (
	"context"
	"strings"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/social"
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

// requirementFields are the group.getInfo fields CheckGroup reads.
var requirementFields = []string{"uid", "name", "access_type", "photo_id", "pic_avatar", "city", "category", "subcategory", "description", "gos_org"}

// CheckGroup reports the conditions of the «Госорганизация» mark for a
// group, from group.getInfo, under the shared codes and in this order:
// open group (social.ReqOpen), main photo (ReqPhoto), city (ReqCity), a
// topic from «Госорганизации» (ReqCategoryGovernment), description
// (ReqDescription), the administrators' two-factor authentication
// (ReqAdminsTwoFactor), and then whether the group has the mark
// (ReqGovMark). Each is met, not met, or unverifiable: a field OK did
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
			Detail: "OK did not return " + field + "; " + social.CannotCheck}
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
	rs = append(rs, check(social.ReqOpen, "open group", g.Has("access_type"), g.AccessType == AccessOpen, "access_type",
		"access type OPEN", "access type is "+g.AccessType+", not OPEN"))

	photoKnown, hasPhoto := false, false
	switch {
	case g.Has("photo_id"):
		photoKnown, hasPhoto = true, g.PhotoID != ""
	case g.Has("pic_avatar"):
		photoKnown, hasPhoto = true, g.PicAvatar != "" && !strings.Contains(strings.ToLower(g.PicAvatar), "stub")
	}
	rs = append(rs, check(social.ReqPhoto, "main photo", photoKnown, hasPhoto, "photo_id or pic_avatar", "present", "the group has no main photo"))
	rs = append(rs, check(social.ReqCity, "city", g.Has("city"), strings.TrimSpace(g.City) != "", "city", g.City, "the group's city is not filled in"))

	catKnown := g.Has("category") || g.Has("subcategory")
	topic := g.Category
	if g.Subcategory != "" {
		topic += " / " + g.Subcategory
	}
	rs = append(rs, check(social.ReqCategoryGovernment, "topic from «Госорганизации»", catKnown, c.govCategory(g.Category, g.Subcategory),
		"category", topic, "the group's topic ("+topic+") is not one of «Госорганизации»"))
	rs = append(rs, check(social.ReqDescription, "description", g.Has("description"), strings.TrimSpace(g.Description) != "", "description",
		"present", "the group has no description"))
	rs = append(rs, social.Requirement{Code: social.ReqAdminsTwoFactor, Name: "administrators use two-factor authentication",
		Status: social.RequirementUnverifiable,
		Detail: "whether the administrators use «Двойная защита» " + social.CannotCheck + "; check it in each administrator's OK settings"})
	rs = append(rs, social.MarkRequirement(g.Mark(), "gos_org"))
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
