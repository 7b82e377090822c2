package pos

import (
	"errors"
	"fmt"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/identifiers"
)

// Org is an organisation record as POS's placement rules need it.
type Org struct {
	// OGRN identifies the organisation (13 digits).
	OGRN string
	// Name is its name, for reports.
	Name string
	// Agency is its ESIA agency type; see [Classify].
	Agency esia.AgencyType
	// OKATO is its territory code; the links carry its region code.
	OKATO string
	// OKTMO is its municipal territory code (8 or 11 digits); the polls
	// form of a municipal body takes its first 8 digits.
	OKTMO string
	// ParentOGRN is the OGRN of the body the organisation is subordinate
	// to, or "" for a top body.
	ParentOGRN string
}

// LKO is an organisation's cabinet in POS.
type LKO struct {
	// OpaID is the LKO's id, the opaId of the appeal form.
	OpaID int64
	// OGRN is the organisation the LKO belongs to.
	OGRN string
	// Appeals reports whether the organisation is connected to POS for
	// appeals (обработка сообщений).
	Appeals bool
	// Polls reports whether it is connected for public polls (мероприятия
	// общественного голосования).
	Polls bool
	// WidgetSites are the sites and official pages listed in the LKO
	// settings («Функционирование ЛКО» → «Сайт/соцсети») with «Сайт
	// размещения виджета» on.
	WidgetSites []string
}

// Errors of the LKO hierarchy; the returned errors wrap them with the
// OGRN concerned.
var (
	// ErrUnknownOrg: no organisation with the OGRN.
	ErrUnknownOrg = errors.New("pos: unknown organisation")
	// ErrMissingParent: an organisation names a parent that is not in the
	// directory.
	ErrMissingParent = errors.New("pos: parent organisation missing")
	// ErrCycle: the parent chain loops.
	ErrCycle = errors.New("pos: cycle in the parent chain")
	// ErrNotConnected: neither the organisation nor any body above it has
	// an LKO connected for appeals.
	ErrNotConnected = errors.New("pos: no LKO connected for appeals up the chain")
	// ErrNoMunicipality: a municipal body or a subordinate organisation
	// has no valid OKTMO, neither itself nor a municipal body above it.
	ErrNoMunicipality = errors.New("pos: no municipality for the polls form")
	// ErrUnknownKind: the organisation has no agency type, so the polls
	// form (regional or municipal) cannot be chosen; Resolve still fills
	// the appeal form.
	ErrUnknownKind = errors.New("pos: agency type unknown")
	// ErrDuplicate: two records with the same OGRN or opaId.
	ErrDuplicate = errors.New("pos: duplicate record")
)

// Directory is a set of organisations and their LKOs, read-only once
// built; it is safe for concurrent use.
type Directory struct {
	orgs  map[string]Org
	lkos  map[string]LKO // by OGRN
	byOpa map[int64]string
	forms Forms
}

// NewDirectory builds a directory of orgs and lkos with links against
// forms' base URL. Records must have valid, unique OGRNs and opaIds; the
// first bad record is returned as an error. Parents are checked when used,
// so that one broken chain does not hide the others.
func NewDirectory(forms Forms, orgs []Org, lkos []LKO) (*Directory, error) {
	d := &Directory{
		orgs:  make(map[string]Org, len(orgs)),
		lkos:  make(map[string]LKO, len(lkos)),
		byOpa: make(map[int64]string, len(lkos)),
		forms: forms,
	}
	for _, o := range orgs {
		if err := identifiers.ValidateOGRN(o.OGRN); err != nil {
			return nil, fmt.Errorf("pos: organisation %q: %w", o.Name, err)
		}
		if _, dup := d.orgs[o.OGRN]; dup {
			return nil, fmt.Errorf("%w: organisation %s", ErrDuplicate, o.OGRN)
		}
		d.orgs[o.OGRN] = o
	}
	for _, l := range lkos {
		if l.OpaID <= 0 {
			return nil, fmt.Errorf("%w: LKO of %s has opaId %d", ErrInvalidParameter, l.OGRN, l.OpaID)
		}
		if _, ok := d.orgs[l.OGRN]; !ok {
			return nil, fmt.Errorf("%w: LKO %d names %s", ErrUnknownOrg, l.OpaID, l.OGRN)
		}
		if _, dup := d.lkos[l.OGRN]; dup {
			return nil, fmt.Errorf("%w: second LKO of %s", ErrDuplicate, l.OGRN)
		}
		if _, dup := d.byOpa[l.OpaID]; dup {
			return nil, fmt.Errorf("%w: opaId %d", ErrDuplicate, l.OpaID)
		}
		d.lkos[l.OGRN] = l
		d.byOpa[l.OpaID] = l.OGRN
	}
	return d, nil
}

// Org returns the organisation with the OGRN.
func (d *Directory) Org(ogrn string) (Org, bool) {
	o, ok := d.orgs[ogrn]
	return o, ok
}

// LKO returns the organisation's own LKO, connected or not.
func (d *Directory) LKO(ogrn string) (LKO, bool) {
	l, ok := d.lkos[ogrn]
	return l, ok
}

// LKOByOpaID returns the LKO with the id.
func (d *Directory) LKOByOpaID(opaID int64) (LKO, bool) {
	ogrn, ok := d.byOpa[opaID]
	if !ok {
		return LKO{}, false
	}
	return d.lkos[ogrn], true
}

// Superiors returns the organisation's parent chain, nearest first. It
// fails with ErrUnknownOrg, ErrMissingParent or ErrCycle.
func (d *Directory) Superiors(ogrn string) ([]Org, error) {
	o, ok := d.orgs[ogrn]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownOrg, ogrn)
	}
	var out []Org
	seen := map[string]bool{ogrn: true}
	for p := o.ParentOGRN; p != ""; {
		if seen[p] {
			return nil, fmt.Errorf("%w: %s reaches %s again", ErrCycle, ogrn, p)
		}
		seen[p] = true
		parent, ok := d.orgs[p]
		if !ok {
			return nil, fmt.Errorf("%w: %s (parent of %s)", ErrMissingParent, p, o.OGRN)
		}
		out = append(out, parent)
		o, p = parent, parent.ParentOGRN
	}
	return out, nil
}

// Kind classifies the organisation ([Classify] of its agency type).
func (d *Directory) Kind(ogrn string) (BodyKind, error) {
	o, ok := d.orgs[ogrn]
	if !ok {
		return KindUnknown, fmt.Errorf("%w: %s", ErrUnknownOrg, ogrn)
	}
	return Classify(o.Agency), nil
}

// Resolution is what a page of an organisation must carry.
type Resolution struct {
	// Org is the page owner.
	Org Org
	// Kind is how POS sees it.
	Kind BodyKind
	// Region is its region code (utm_medium).
	Region string
	// AppealLKO is the LKO of the appeal form: the owner's when connected
	// for appeals, else the nearest connected body's above it.
	AppealLKO LKO
	// AppealFrom is the organisation AppealLKO belongs to (the owner
	// itself when it is connected).
	AppealFrom Org
	// PollsFrom is the body whose polls form the page carries: the region
	// for a regional body, otherwise the municipality (the owner when it is
	// a municipal body, else the nearest municipal body above it, else the
	// owner's own OKTMO).
	PollsFrom Org
	// PollsConnected reports whether PollsFrom has an LKO connected for
	// polls; the polls form shows its polls only when it has.
	PollsConnected bool
	// Appeal and Polls are the two links, as parts.
	Appeal, Polls Link
	// AppealURL and PollsURL are the two links as the menu carries them.
	AppealURL, PollsURL string
}

// Resolve applies the placement rules to the organisation's page.
func (d *Directory) Resolve(ogrn string) (Resolution, error) {
	var r Resolution
	o, ok := d.orgs[ogrn]
	if !ok {
		return r, fmt.Errorf("%w: %s", ErrUnknownOrg, ogrn)
	}
	sup, err := d.Superiors(ogrn)
	if err != nil {
		return r, err
	}
	r.Org, r.Kind = o, Classify(o.Agency)
	if r.Region, err = RegionCode(o.OKATO); err != nil {
		return r, fmt.Errorf("pos: organisation %s: OKATO: %w", ogrn, err)
	}
	// Appeals: the owner's LKO, else the nearest connected body's above.
	found := false
	for _, c := range append([]Org{o}, sup...) {
		if l, ok := d.lkos[c.OGRN]; ok && l.Appeals {
			r.AppealLKO, r.AppealFrom, found = l, c, true
			break
		}
	}
	if !found {
		return r, fmt.Errorf("%w: %s", ErrNotConnected, ogrn)
	}
	r.Appeal = Link{Kind: LinkAppeal, OpaID: r.AppealLKO.OpaID, UTMSource: utmAppeal, UTMMedium: r.Region, UTMCampaign: o.OGRN}
	r.AppealURL = d.forms.Build(r.Appeal)
	if r.Kind == KindUnknown {
		return r, fmt.Errorf("%w: %s", ErrUnknownKind, ogrn)
	}
	// Polls: the region's for a regional body, else the municipality's.
	r.PollsFrom = o
	switch r.Kind {
	case KindRegional:
		r.Polls = Link{Kind: LinkRegionalPolls, RegCode: r.Region, UTMSource: utmRegional, UTMMedium: r.Region, UTMCampaign: o.OGRN}
	default:
		if r.Kind != KindMunicipal {
			for _, s := range sup {
				if s.Agency == esia.AgencyLocal {
					r.PollsFrom = s
					break
				}
			}
		}
		mun, err := MunicipalCode(r.PollsFrom.OKTMO)
		if err != nil && r.PollsFrom.OGRN != o.OGRN {
			r.PollsFrom = o
			mun, err = MunicipalCode(o.OKTMO)
		}
		if err != nil {
			return r, fmt.Errorf("%w: %s: %w", ErrNoMunicipality, ogrn, err)
		}
		r.Polls = Link{Kind: LinkMunicipalPolls, MunCode: mun, UTMSource: utmMunicipal, UTMMedium: r.Region, UTMCampaign: o.OGRN}
	}
	if l, ok := d.lkos[r.PollsFrom.OGRN]; ok {
		r.PollsConnected = l.Polls
	}
	r.PollsURL = d.forms.Build(r.Polls)
	return r, nil
}
