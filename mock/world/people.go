package world

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Network names used as [Page.Network], as keys of [Person.Accounts] and as
// journal parties.
const (
	NetworkTelegram = "telegram"
	NetworkVK       = "vk"
	NetworkOK       = "ok"
)

// Networks returns the networks a page or an account may belong to.
func Networks() []string { return []string{NetworkTelegram, NetworkVK, NetworkOK} }

func knownNetwork(n string) bool { return slices.Contains(Networks(), n) }

// Gender of a person, as ESIA spells it.
type Gender string

// Genders.
const (
	GenderMale   Gender = "M"
	GenderFemale Gender = "F"
)

// Account is a person's account on one social network.
type Account struct {
	// UserID is the network's user id of the account (> 0, unique per
	// network).
	UserID int64 `json:"user_id"`
	// Username is the account's public name without "@" (empty: none).
	Username string `json:"username,omitempty"`
	// TwoFactor reports that two-factor authentication is on for this
	// account (VK and OK call it «Двойная защита»).
	TwoFactor bool `json:"two_factor,omitempty"`
}

// Person is a synthetic citizen: an ESIA account linked to network
// accounts.
type Person struct {
	// OID is the ESIA object id of the person (unique, > 0).
	OID int64 `json:"oid"`
	// SNILS is the insurance number, formatted "000-000-600 06".
	SNILS string `json:"snils,omitempty"`
	// INN is the 12-digit taxpayer number.
	INN string `json:"inn,omitempty"`
	// LastName, FirstName and MiddleName are the person's names.
	LastName   string `json:"last_name"`
	FirstName  string `json:"first_name"`
	MiddleName string `json:"middle_name,omitempty"`
	// BirthDate is the date of birth (time of day is ignored).
	BirthDate time.Time `json:"birth_date,omitzero"`
	// Gender is "M" or "F".
	Gender Gender `json:"gender,omitempty"`
	// Email is the confirmed e-mail, usable as an ESIA login.
	Email string `json:"email,omitempty"`
	// Phone is the confirmed mobile phone, "+7(900)1234567" style, usable as
	// an ESIA login.
	Phone string `json:"phone,omitempty"`
	// Password is the ESIA password of this synthetic account.
	Password string `json:"password,omitempty"`
	// Trusted reports a confirmed ("подтверждённая") ESIA account.
	Trusted bool `json:"trusted"`
	// Accounts are the person's social-network accounts, by network
	// ([NetworkTelegram], [NetworkVK], [NetworkOK]).
	Accounts map[string]Account `json:"accounts,omitempty"`
}

// Account returns the person's account on a network.
func (p Person) Account(network string) (Account, bool) {
	a, ok := p.Accounts[network]
	return a, ok
}

func (p Person) clone() Person {
	p.Accounts = maps.Clone(p.Accounts)
	return p
}

func validatePerson(p Person) error {
	switch {
	case p.OID <= 0:
		return Fieldf(ErrInvalid, "oid", "must be positive")
	case p.SNILS != "" && !ValidSNILS(p.SNILS):
		return Fieldf(ErrInvalid, "snils", "fails its checksum")
	case p.INN != "" && (len(p.INN) != 12 || !ValidINN(p.INN)):
		return Fieldf(ErrInvalid, "inn", "must be 12 digits with valid check digits")
	case p.Phone != "" && NormalizePhone(p.Phone) == "":
		return Fieldf(ErrInvalid, "phone", "is not a Russian mobile number")
	case p.Email != "" && !strings.Contains(p.Email, "@"):
		return Fieldf(ErrInvalid, "email", "has no @")
	case p.Gender != "" && p.Gender != GenderMale && p.Gender != GenderFemale:
		return Fieldf(ErrInvalid, "gender", "must be M or F")
	}
	for _, n := range slices.Sorted(maps.Keys(p.Accounts)) {
		a := p.Accounts[n]
		switch {
		case !knownNetwork(n):
			return Fieldf(ErrInvalid, "accounts."+n, "unknown network (known: %s)", strings.Join(Networks(), ", "))
		case a.UserID <= 0:
			return Fieldf(ErrInvalid, "accounts."+n+".user_id", "must be positive")
		}
	}
	return nil
}

// personError names a person in an error of one of its fields.
func personError(oid int64, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("person %d: %w", oid, err)
}

// loginKey is one login or account of a person, in the canonical form
// under which two spellings collide: a normalised phone (10 digits), a
// normalised SNILS (11 digits), a case-folded e-mail (as
// [strings.EqualFold] compares) or a network account's user id.
type loginKey struct {
	kind  loginKind
	value string // the login, or the network of an account
	id    int64
}

type loginKind uint8

const (
	loginEmail loginKind = iota + 1
	loginPhone
	loginSNILS
	loginAccount
)

// loginKeys returns the index keys p holds (none for empty fields).
func loginKeys(p Person) []loginKey {
	keys := make([]loginKey, 0, 3+len(p.Accounts))
	if p.Email != "" {
		keys = append(keys, loginKey{kind: loginEmail, value: foldName(p.Email)})
	}
	if p.Phone != "" {
		keys = append(keys, loginKey{kind: loginPhone, value: NormalizePhone(p.Phone)})
	}
	if p.SNILS != "" {
		keys = append(keys, loginKey{kind: loginSNILS, value: NormalizeSNILS(p.SNILS)})
	}
	for n, a := range p.Accounts {
		keys = append(keys, loginKey{kind: loginAccount, value: n, id: a.UserID})
	}
	return keys
}

// AddPerson validates and adds a person.
func (w *World) AddPerson(p Person) error {
	if err := validatePerson(p); err != nil {
		return personError(p.OID, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.people[p.OID]; ok {
		return fmt.Errorf("%w: person %d", ErrDuplicate, p.OID)
	}
	if err := w.loginFreeLocked(p); err != nil {
		return err
	}
	w.putPersonLocked(p.clone())
	w.changed()
	return nil
}

// UpdatePerson replaces an existing person (matched by OID).
func (w *World) UpdatePerson(p Person) error {
	if err := validatePerson(p); err != nil {
		return personError(p.OID, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.people[p.OID]; !ok {
		return fmt.Errorf("%w: person %d", ErrNotFound, p.OID)
	}
	if err := w.loginFreeLocked(p); err != nil {
		return err
	}
	w.putPersonLocked(p.clone())
	w.changed()
	return nil
}

// loginFreeLocked reports ErrDuplicate when another person holds one of
// p's logins or accounts: the same phone or SNILS in any spelling, the same
// e-mail in any case, the same user id on a network. It looks each up in the
// login index instead of scanning every person.
func (w *World) loginFreeLocked(p Person) error {
	for _, k := range loginKeys(p) {
		if oid, ok := w.logins[k]; ok && oid != p.OID {
			return fmt.Errorf("%w: login or account of person %d already used by person %d", ErrDuplicate, p.OID, oid)
		}
	}
	return nil
}

// putPersonLocked stores a person (new or replacing the one with its OID)
// and keeps the login index in step: the old logins are released and the
// new ones taken. The caller has checked [World.loginFreeLocked].
func (w *World) putPersonLocked(p Person) {
	if old, ok := w.people[p.OID]; ok {
		for _, k := range loginKeys(old) {
			if w.logins[k] == old.OID {
				delete(w.logins, k)
			}
		}
	}
	w.people[p.OID] = p
	for _, k := range loginKeys(p) {
		w.logins[k] = p.OID
	}
}

// Person returns the person with the OID.
func (w *World) Person(oid int64) (Person, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	p, ok := w.people[oid]
	if !ok {
		return Person{}, fmt.Errorf("%w: person %d", ErrNotFound, oid)
	}
	return p.clone(), nil
}

// PersonByLogin finds a person by an ESIA login: a phone number (any common
// spelling), an e-mail (case-insensitive) or a SNILS (with or without
// separators).
func (w *World) PersonByLogin(login string) (Person, error) {
	login = strings.TrimSpace(login)
	var keys []loginKey
	if strings.Contains(login, "@") {
		keys = append(keys, loginKey{kind: loginEmail, value: foldName(login)})
	}
	if snils := NormalizeSNILS(login); snils != "" {
		keys = append(keys, loginKey{kind: loginSNILS, value: snils})
	}
	if phone := NormalizePhone(login); phone != "" {
		keys = append(keys, loginKey{kind: loginPhone, value: phone})
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, k := range keys {
		if oid, ok := w.logins[k]; ok {
			return w.people[oid].clone(), nil
		}
	}
	return Person{}, fmt.Errorf("%w: no person with that login", ErrNotFound)
}

// PersonByAccount finds the person owning a network account by its user
// id.
func (w *World) PersonByAccount(network string, userID int64) (Person, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if oid, ok := w.logins[loginKey{kind: loginAccount, value: network, id: userID}]; ok && userID != 0 {
		return w.people[oid].clone(), nil
	}
	return Person{}, fmt.Errorf("%w: %s user %d", ErrNotFound, network, userID)
}

// People returns every person, sorted by OID.
func (w *World) People() []Person {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]Person, 0, len(w.people))
	for _, p := range w.people {
		out = append(out, p.clone())
	}
	slices.SortFunc(out, func(a, b Person) int { return cmp.Compare(a.OID, b.OID) })
	return out
}
