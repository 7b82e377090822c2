package social

// RequirementStatus is the state of one checklist item.
type RequirementStatus string

// Requirement states. The zero value is none of them and counts as not
// proven, like RequirementUnverifiable.
const (
	// RequirementMet: the network's API shows the requirement is satisfied.
	RequirementMet RequirementStatus = "met"
	// RequirementNotMet: the network's API shows it is not satisfied.
	RequirementNotMet RequirementStatus = "not_met"
	// RequirementUnverifiable: the network's API cannot show it (or did not
	// answer in a way that proves it either way); a person has to check it.
	// It is never reported as met.
	RequirementUnverifiable RequirementStatus = "unverifiable"
)

// Valid reports whether s is one of the three states.
func (s RequirementStatus) Valid() bool {
	switch s {
	case RequirementMet, RequirementNotMet, RequirementUnverifiable:
		return true
	}
	return false
}

// RequirementCode identifies a requirement independently of its wording.
// Codes are stable: a client never changes the meaning of a code it has
// published, so a cabinet may store them and key translations on them.
// A requirement that means the same on several networks has one code,
// declared here (ReqOpen, ReqPhoto, ...); network clients declare only
// their own extras as constants (vk.ReqManagers, telegram.ReqBotIsAdmin).
type RequirementCode string

// Requirement is one item of the «Госорганизация» checklist of a page.
type Requirement struct {
	// Code is the requirement's stable code.
	Code RequirementCode
	// Name is a short human-readable name ("bot is administrator").
	Name string
	// Status says whether the page satisfies it, does not, or whether the
	// network's API cannot show it.
	Status RequirementStatus
	// Detail explains what was found, what is missing, or why it cannot
	// be checked.
	Detail string
}

// Met reports whether the requirement is proven met.
func (r Requirement) Met() bool { return r.Status == RequirementMet }

// Requirements is a checklist report.
type Requirements []Requirement

// AllMet reports whether every requirement is proven met. A requirement
// that cannot be checked through the API is not proven, so a checklist with
// one is never "all met".
func (rs Requirements) AllMet() bool {
	for _, r := range rs {
		if !r.Met() {
			return false
		}
	}
	return true
}

// Unmet returns the requirements not proven met: those not met and those
// that cannot be checked. AllMet reports whether it is empty.
func (rs Requirements) Unmet() Requirements {
	return rs.filter(func(r Requirement) bool { return !r.Met() })
}

// NotMet returns the requirements the API shows are not satisfied.
func (rs Requirements) NotMet() Requirements {
	return rs.filter(func(r Requirement) bool { return r.Status == RequirementNotMet })
}

// Unverifiable returns the requirements that could not be checked through
// the API (including any with an invalid status): a person has to check
// them.
func (rs Requirements) Unverifiable() Requirements {
	return rs.filter(func(r Requirement) bool { return r.Status != RequirementMet && r.Status != RequirementNotMet })
}

// Find returns the requirement with code and whether there is one.
func (rs Requirements) Find(code RequirementCode) (Requirement, bool) {
	for _, r := range rs {
		if r.Code == code {
			return r, true
		}
	}
	return Requirement{}, false
}

func (rs Requirements) filter(keep func(Requirement) bool) Requirements {
	var out Requirements
	for _, r := range rs {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// Codes of the «Госорганизация» requirements that mean the same on every
// network that has them. Network clients report them under these codes and
// declare only their own extras (vk.ReqManagers, telegram.ReqBotIsAdmin).
const (
	// ReqOpen: the page is open to everyone (not closed or private).
	ReqOpen RequirementCode = "open"
	// ReqPhoto: the page has a main photo.
	ReqPhoto RequirementCode = "photo"
	// ReqDescription: the page has a description.
	ReqDescription RequirementCode = "description"
	// ReqCity: the page's city is filled in.
	ReqCity RequirementCode = "city"
	// ReqCategoryGovernment: the page's category or topic is the
	// network's "government organisation" one.
	ReqCategoryGovernment RequirementCode = "category_government"
	// ReqAdminsTwoFactor: every administrator uses two-factor
	// authentication. No network shows another user's 2FA through its
	// API, so clients report it as RequirementUnverifiable.
	ReqAdminsTwoFactor RequirementCode = "admins_two_factor"
	// ReqGovMark: the page carries the «Госорганизация» mark itself
	// (MarkRequirement).
	ReqGovMark RequirementCode = "gov_mark"
)

// CannotCheck is the detail, or the start of the detail, of a requirement
// the network's API cannot show.
const CannotCheck = "cannot be checked through the API"

// MarkRequirement is the ReqGovMark item of a checklist: met when the mark
// is present, not met when absent, and unverifiable when the network did
// not return field (the name of its mark flag).
func MarkRequirement(m Mark, field string) Requirement {
	r := Requirement{Code: ReqGovMark, Name: "«Госорганизация» mark"}
	switch m {
	case MarkPresent:
		r.Status, r.Detail = RequirementMet, "the page carries the mark ("+field+")"
	case MarkAbsent:
		r.Status, r.Detail = RequirementNotMet, "no mark: confirm the organisation through Gosuslugi («Подтвердить через Госуслуги» in the page's settings)"
	default:
		r.Status, r.Detail = RequirementUnverifiable, "the network did not return "+field+"; "+CannotCheck
	}
	return r
}
