package gpmock

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gospubliki/gosdk/mock/world"
)

// SectionName is the key of the cabinet's section in a world scenario.
const SectionName = "gospubliki"

// State is the section's content in a scenario: cabinets, users and
// posts. Sessions and API tokens are never part of it.
type State struct {
	Cabinets []Cabinet   `json:"cabinets,omitempty"`
	Users    []StateUser `json:"users,omitempty"`
	Posts    []Post      `json:"posts,omitempty"`
	// Communities are the connected pages; their credentials travel only
	// in exports with secrets, encrypted (SealedCredentials).
	Communities []StateCommunity `json:"communities,omitempty"`
	Planning
	// Notifications are the users' notification settings.
	Notifications []NotifySettings `json:"notifications,omitempty"`
	// Dialogs, DialogRules and Analytics are the inbox, its auto-rules and
	// the statistics series (dialogs_state.go).
	Dialogs     []Dialog      `json:"dialogs,omitempty"`
	DialogRules []AutoRule    `json:"dialog_rules,omitempty"`
	Analytics   []StateSeries `json:"analytics,omitempty"`
	// Media are the uploaded files, with their content.
	Media []StateMedia `json:"media,omitempty"`
}

// StateUser is a user in a scenario. A seeded user carries Password
// (hashed on import, and exported as seeded); an export with secrets
// carries the PasswordHash of any other user.
type StateUser struct {
	User
	Password     string `json:"password,omitempty"`
	PasswordHash string `json:"password_hash,omitempty"`
}

// StateCommunity is a connected page in a scenario. SealedCredentials is
// the AES-GCM box of its credentials (base64 of nonce ‖ ciphertext) under
// the server's credential key, present only in exports with secrets.
type StateCommunity struct {
	Community
	SealedCredentials string `json:"sealed_credentials,omitempty"`
}

// Section is the cabinet's section of a world. It implements
// [world.Section]; a world Reset imports the seeded content again, which
// ends every session.
type Section struct {
	*store
}

var _ world.Section = (*Section)(nil)

// NewSection returns an empty section.
func NewSection() *Section {
	st := &store{}
	st.clear()
	return &Section{store: st}
}

var sectionMu sync.Mutex

// SectionOf returns w's cabinet section, registering an empty one when w
// has none.
func SectionOf(w *world.World) *Section {
	sectionMu.Lock()
	defer sectionMu.Unlock()
	s, ok := w.Section(SectionName).(*Section)
	if !ok {
		s = NewSection()
		if err := w.Register(s); err != nil {
			if got, ok := w.Section(SectionName).(*Section); ok {
				s = got
			}
		}
	}
	s.mu.Lock()
	s.orgs = func(oid int64) error { _, err := w.Organization(oid); return err }
	s.superiors = worldSuperiors(w)
	s.orgInfo = w.Organization
	s.subordinates = func(oid int64) []int64 {
		subs, _ := w.Subordinates(oid)
		out := make([]int64, len(subs))
		for i, o := range subs {
			out[i] = o.OID
		}
		return out
	}
	s.mu.Unlock()
	return s
}

// Name returns [SectionName].
func (s *Section) Name() string { return SectionName }

// Default returns nil: the default scenario holds no cabinets.
func (s *Section) Default() json.RawMessage { return nil }

func decodeState(raw json.RawMessage) (State, error) {
	var st State
	if len(raw) == 0 || string(raw) == "null" {
		return st, nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		if fe := world.DecodeError(raw, err); fe != err {
			return st, fe
		}
		return st, &world.FieldError{Reason: "malformed section", Kind: world.ErrInvalid}
	}
	return st, nil
}

func fieldErr(path, reason string, kind error) error {
	return &world.FieldError{Path: path, Reason: reason, Kind: kind}
}

// Validate checks content: known kinds, roles, statuses and
// organisations, unique ids and phones, users and posts of existing
// cabinets, posts in a known status.
func (s *Section) Validate(raw json.RawMessage, shared world.Lookup) error {
	st, err := decodeState(raw)
	if err != nil {
		return err
	}
	return validateState(st, shared)
}

func validateState(st State, shared world.Lookup) error {
	ids := map[int64]bool{}
	id := func(path string, v int64) error {
		if v <= 0 {
			return fieldErr(path, "id must be positive", world.ErrInvalid)
		}
		if ids[v] {
			return fieldErr(path, "id used twice", world.ErrDuplicate)
		}
		ids[v] = true
		return nil
	}
	cabs := map[int64]bool{}
	for i, c := range st.Cabinets {
		p := fmt.Sprintf("cabinets[%d]", i)
		if err := id(p+".id", c.ID); err != nil {
			return err
		}
		if c.Kind != KindInstitution && c.Kind != KindEditorial && c.Kind != KindLKO {
			return fieldErr(p+".kind", "unknown cabinet kind", world.ErrInvalid)
		}
		if shared != nil {
			o, err := shared.Organization(c.OrgOID)
			if err != nil {
				return fieldErr(p+".org_oid", "unknown organisation", world.ErrNotFound)
			}
			if c.Kind == KindEditorial && !editorialOrg(o) {
				return fieldErr(p+".kind", errEditorialKind.message, world.ErrInvalid)
			}
		}
		cabs[c.ID] = true
	}
	phones := map[string]bool{}
	for i, u := range st.Users {
		p := fmt.Sprintf("users[%d]", i)
		if err := id(p+".id", u.ID); err != nil {
			return err
		}
		switch {
		case !cabs[u.CabinetID]:
			return fieldErr(p+".cabinet_id", "unknown cabinet", world.ErrNotFound)
		case !validRole(u.Role):
			return fieldErr(p+".role", "unknown role", world.ErrInvalid)
		case u.Status != StatusInvited && u.Status != StatusConfirmed && u.Status != StatusBlocked:
			return fieldErr(p+".status", "unknown status", world.ErrInvalid)
		case u.Phone == "" || phones[u.Phone]:
			return fieldErr(p+".phone", "phone missing or used twice", world.ErrDuplicate)
		case !strings.Contains(u.Email, "@"):
			return fieldErr(p+".email", "malformed e-mail", world.ErrInvalid)
		case u.Password != "" && (len(u.Password) < 8 || len(u.Password) > 72):
			return fieldErr(p+".password", "password must be 8 to 72 bytes", world.ErrInvalid)
		}
		if u.PersonOID != 0 && shared != nil {
			if _, err := shared.Person(u.PersonOID); err != nil {
				return fieldErr(p+".person_oid", "unknown person", world.ErrNotFound)
			}
		}
		phones[u.Phone] = true
	}
	refs := map[string]bool{}
	for i, cm := range st.Communities {
		p := fmt.Sprintf("communities[%d]", i)
		if err := id(p+".id", cm.ID); err != nil {
			return err
		}
		if !cabs[cm.CabinetID] {
			return fieldErr(p+".cabinet_id", "unknown cabinet", world.ErrNotFound)
		}
		page, ok := normalizePage(cm.Network, cm.PageID)
		if !ok || page != cm.PageID {
			return fieldErr(p+".page_id", "unknown network or malformed page id", world.ErrInvalid)
		}
		if cm.Ref != "" && cm.Ref != cm.Network+":"+cm.PageID {
			return fieldErr(p+".ref", "ref must be network:page_id", world.ErrInvalid)
		}
		k := itoa(cm.CabinetID) + "/" + cm.Network + ":" + cm.PageID
		if refs[k] {
			return fieldErr(p+".page_id", "page connected twice to one cabinet", world.ErrDuplicate)
		}
		refs[k] = true
		if cm.SealedCredentials != "" {
			if _, err := base64.StdEncoding.DecodeString(cm.SealedCredentials); err != nil {
				return fieldErr(p+".sealed_credentials", "malformed base64", world.ErrInvalid)
			}
		}
	}
	users := map[int64]bool{}
	for _, u := range st.Users {
		users[u.ID] = true
	}
	for i, n := range st.Notifications {
		if err := validateNotify(fmt.Sprintf("notifications[%d]", i), n, users); err != nil {
			return err
		}
	}
	if err := validateInbox(st, cabs, id); err != nil {
		return err
	}
	mediaCab := map[int64]int64{}
	for i, m := range st.Media {
		p := fmt.Sprintf("media[%d]", i)
		if err := id(p+".id", m.ID); err != nil {
			return err
		}
		switch {
		case !cabs[m.CabinetID]:
			return fieldErr(p+".cabinet_id", "unknown cabinet", world.ErrNotFound)
		case !slices.Contains(MediaTypes, m.ContentType):
			return fieldErr(p+".content_type", "unsupported content type", world.ErrInvalid)
		case len(m.Data) == 0 || len(m.Data) > MaxMediaBytes:
			return fieldErr(p+".data", "a file is 1 byte to 10 MiB", world.ErrInvalid)
		}
		mediaCab[m.ID] = m.CabinetID
	}
	for i, x := range st.Posts {
		p := fmt.Sprintf("posts[%d]", i)
		if err := id(p+".id", x.ID); err != nil {
			return err
		}
		if !cabs[x.CabinetID] {
			return fieldErr(p+".cabinet_id", "unknown cabinet", world.ErrNotFound)
		}
		if !slices.Contains(PostStatuses, x.Status) {
			return fieldErr(p+".status", "unknown status", world.ErrInvalid)
		}
		for j, m := range x.Media {
			if mediaCab[m] != x.CabinetID {
				return fieldErr(fmt.Sprintf("%s.media[%d]", p, j), "unknown media of the cabinet", world.ErrNotFound)
			}
		}
		for j, r := range x.Report {
			if !slices.Contains([]string{OutcomePending, OutcomePublished, OutcomePartial, OutcomeFailed, OutcomeUnknown, ""}, r.Outcome) {
				return fieldErr(fmt.Sprintf("%s.report[%d].outcome", p, j), "unknown outcome", world.ErrInvalid)
			}
		}
		if !validUrgency(x.Urgency) {
			return fieldErr(p+".urgency", "unknown urgency", world.ErrInvalid)
		}
	}
	return validatePlanning(st, cabs, id)
}

// Import replaces the state with raw (every session ends).
func (s *Section) Import(raw json.RawMessage) error {
	st, err := decodeState(raw)
	if err != nil {
		return err
	}
	fresh := &store{}
	fresh.clear()
	if err := fresh.load(st); err != nil {
		return err
	}
	var posts []Post
	_ = fresh.posts.All(func(p Post) bool { posts = append(posts, p); return true })
	defer s.changed()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.posts.Replace(posts); err != nil {
		return fmt.Errorf("gpmock: import posts: %w", err)
	}
	s.nextID, s.cabinets, s.users, s.byPhone, s.sessions, s.seeded =
		fresh.nextID, fresh.cabinets, fresh.users, fresh.byPhone, fresh.sessions, fresh.seeded
	s.communities, s.media = fresh.communities, fresh.media
	s.planning = fresh.planning
	s.esiaStates, s.invites, s.resets, s.notify = fresh.esiaStates, fresh.invites, fresh.resets, fresh.notify
	s.inbox, s.stats = fresh.inbox, fresh.stats
	s.version.Add(1)
	hooks := slices.Clone(s.loaded)
	s.mu.Unlock()
	for _, f := range hooks {
		f()
	}
	s.mu.Lock() // released by the deferred unlock
	return nil
}

// load adds st to an unshared store.
func (st *store) load(in State) error {
	for _, c := range in.Cabinets {
		st.cabinets[c.ID] = &c
		st.nextID = max(st.nextID, c.ID)
	}
	for _, u := range in.Users {
		rec := &userRec{User: u.User}
		switch {
		case u.PasswordHash != "":
			rec.hash = []byte(u.PasswordHash)
		case u.Password != "":
			rec.seed = u.Password // hashed at the first login
			st.seeded[u.Phone] = u.Password
		}
		st.users[u.ID] = rec
		st.byPhone[u.Phone] = u.ID
		st.nextID = max(st.nextID, u.ID)
	}
	for _, c := range in.Communities {
		rec := &communityRec{Community: c.Community}
		rec.Ref = c.Network + ":" + c.PageID
		rec.HasCredentials = false
		if c.SealedCredentials != "" {
			rec.sealed, _ = base64.StdEncoding.DecodeString(c.SealedCredentials)
		}
		st.communities[c.ID] = rec
		st.nextID = max(st.nextID, c.ID)
	}
	for _, n := range in.Notifications {
		st.notify[n.UserID] = cloneNotify(n)
	}
	st.loadInbox(in)
	for _, m := range in.Media {
		st.media[m.ID] = &mediaRec{Media: m.Media, data: m.Data}
		st.media[m.ID].Size = len(m.Data)
		st.nextID = max(st.nextID, m.ID)
	}
	for _, p := range in.Posts {
		cp := clonePost(&p)
		if cp.Targets == nil {
			cp.Targets = []string{}
		}
		if cp.Comments == nil {
			cp.Comments = []Comment{}
		}
		if err := st.posts.Put(cp); err != nil {
			return err
		}
		st.nextID = max(st.nextID, p.ID)
	}
	st.loadPlanning(in.Planning)
	return nil
}

// Seed adds raw to the state; an id or phone already there is refused
// with world.ErrDuplicate and nothing changes.
func (s *Section) Seed(raw json.RawMessage, shared world.Lookup) error {
	add, err := decodeState(raw)
	if err != nil {
		return err
	}
	cur := s.state(true)
	all := State{Cabinets: append(cur.Cabinets, add.Cabinets...), Users: append(cur.Users, add.Users...),
		Posts: append(cur.Posts, add.Posts...), Communities: append(cur.Communities, add.Communities...),
		Planning: cur.Planning.merged(add.Planning), Notifications: append(cur.Notifications, add.Notifications...),
		Dialogs: append(cur.Dialogs, add.Dialogs...), DialogRules: append(cur.DialogRules, add.DialogRules...),
		Analytics: append(cur.Analytics, add.Analytics...),
		Media:     append(cur.Media, add.Media...)}
	if err := validateState(all, shared); err != nil {
		return err
	}
	fresh := &store{}
	fresh.clear()
	if err := fresh.load(add); err != nil {
		return err
	}
	defer s.changed()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range fresh.cabinets {
		s.cabinets[k] = v
	}
	for k, v := range fresh.users {
		s.users[k] = v
		s.byPhone[v.Phone] = k
	}
	for k, v := range fresh.communities {
		s.communities[k] = v
	}
	s.mergeInbox(fresh)
	for k, v := range fresh.media {
		s.media[k] = v
	}
	var err2 error
	_ = fresh.posts.All(func(p Post) bool { err2 = s.posts.Put(p); return err2 == nil })
	if err2 != nil {
		return fmt.Errorf("gpmock: seed posts: %w", err2)
	}
	for k, v := range fresh.seeded {
		s.seeded[k] = v
	}
	s.planning.merge(fresh.planning)
	for k, v := range fresh.notify {
		s.notify[k] = v
	}
	s.nextID = max(s.nextID, fresh.nextID)
	s.version.Add(1)
	hooks := slices.Clone(s.loaded)
	s.mu.Unlock()
	for _, f := range hooks {
		f()
	}
	s.mu.Lock() // released by the deferred unlock
	return nil
}

// state returns the content, with password hashes when secrets.
func (s *Section) state(secrets bool) State { return s.snapshot(secrets, true) }

// snapshot returns the content, with password hashes when secrets, with
// the posts when posts.
func (s *Section) snapshot(secrets, posts bool) State {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st State
	for _, c := range s.cabinets {
		st.Cabinets = append(st.Cabinets, *c)
	}
	for _, u := range s.users {
		su := StateUser{User: u.User}
		switch {
		case !secrets:
		case s.seeded[u.Phone] != "":
			// A scenario's fixture: exported as seeded, so that an
			// export is deterministic.
			su.Password = s.seeded[u.Phone]
		default:
			su.PasswordHash = string(u.hash)
		}
		st.Users = append(st.Users, su)
	}
	for _, c := range s.communities {
		sc := StateCommunity{Community: cloneCommunity(c)}
		sc.HasCredentials = false
		if secrets && len(c.sealed) > 0 {
			sc.SealedCredentials = base64.StdEncoding.EncodeToString(c.sealed)
		}
		st.Communities = append(st.Communities, sc)
	}
	slices.SortFunc(st.Communities, func(a, b StateCommunity) int { return int(a.ID - b.ID) })
	s.exportInbox(&st)
	for _, m := range s.media {
		st.Media = append(st.Media, StateMedia{Media: m.Media, Data: m.data})
	}
	slices.SortFunc(st.Media, func(a, b StateMedia) int { return int(a.ID - b.ID) })
	if posts {
		_ = s.posts.All(func(p Post) bool { st.Posts = append(st.Posts, p); return true })
	}
	st.Planning = s.planning.export(secrets)
	for _, n := range s.notify {
		st.Notifications = append(st.Notifications, cloneNotify(n))
	}
	slices.SortFunc(st.Notifications, func(a, b NotifySettings) int { return int(a.UserID - b.UserID) })
	slices.SortFunc(st.Cabinets, func(a, b Cabinet) int { return int(a.ID - b.ID) })
	slices.SortFunc(st.Users, func(a, b StateUser) int { return int(a.ID - b.ID) })
	slices.SortFunc(st.Posts, func(a, b Post) int { return int(a.ID - b.ID) })
	return st
}

// Export returns the state (nil when empty); password hashes only with
// secrets.
func (s *Section) Export(secrets bool) (json.RawMessage, error) {
	st := s.state(secrets)
	if len(st.Cabinets) == 0 && len(st.Users) == 0 && len(st.Posts) == 0 && len(st.Communities) == 0 && st.Planning.empty() &&
		len(st.Notifications) == 0 &&
		len(st.Dialogs) == 0 && len(st.DialogRules) == 0 && len(st.Analytics) == 0 && len(st.Media) == 0 {
		return nil, nil
	}
	return json.Marshal(st)
}

// SeededLogin returns the phone and the seeded password of the first user
// of role in the section (ok false when there is none with a seeded
// password): the sandbox's published credentials.
func (s *Section) SeededLogin(role string) (phone, password string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best *userRec
	for _, u := range s.users {
		if u.Role == role && u.Status != StatusBlocked && s.seeded[u.Phone] != "" && (best == nil || u.ID < best.ID) {
			best = u
		}
	}
	if best == nil {
		return "", "", false
	}
	return best.Phone, s.seeded[best.Phone], true
}

// Organisations and people of world.DefaultScenario the default state
// refers to.
const (
	defaultEditorialOrg   = 1000001
	defaultInstitutionOrg = 1000002
	defaultAdminPerson    = 1000000101
	defaultEditorPerson   = 1000000102
)

// SandboxPassword returns a deterministic sandbox password for a role
// and a seed (sandbox-only: it is published in the sandbox's manifest).
func SandboxPassword(role string, seed int64) string {
	h := sha256.Sum256([]byte(role + "/" + strconv.FormatInt(seed, 10)))
	return "sandbox-" + hex.EncodeToString(h[:])[:20]
}

// DefaultState is the section's part of the sandbox's default scenario:
// an editorial cabinet for the regional ministry with an LKO
// administrator and an editor (bound to the ministry's ESIA people) and a
// moderator, an institution cabinet for its subordinate with an
// editor, and the cabinets of the default region ([RegionState] of
// [world.DefaultRegion]).
func DefaultState() State {
	u := func(id, cab int64, phone, email, role string, person int64) StateUser {
		return StateUser{User: User{ID: id, CabinetID: cab, Phone: phone, Email: email, Name: role, Role: role,
			Status: StatusConfirmed, PersonOID: person}, Password: SandboxPassword(role, id)}
	}
	st := State{
		Cabinets: []Cabinet{
			{ID: 1, Kind: KindEditorial, OrgOID: defaultEditorialOrg, OrgName: "Минцифры АО"},
			{ID: 2, Kind: KindInstitution, OrgOID: defaultInstitutionOrg, OrgName: "ГБУ АО «ЦЦС»"},
		},
		Users: []StateUser{
			u(3, 1, "+79001234567", "ivanova@minsvyaz29.example", RoleLKOAdmin, defaultAdminPerson),
			u(4, 1, "+79007654321", "petrov@minsvyaz29.example", RoleEditor, defaultEditorPerson),
			u(5, 1, "+79000000005", "moderator@minsvyaz29.example", RoleModerator, 0),
			u(6, 2, "+79000000006", "editor@ccs29.example", RoleEditor, 0),
		},
	}
	reg := RegionState(world.DefaultRegion())
	st.Cabinets = append(st.Cabinets, reg.Cabinets...)
	st.Users = append(st.Users, reg.Users...)
	return st
}

// RegionState returns the cabinets of a region (see [world.Region]) with
// their users, each bound to its ESIA person, confirmed, with a seeded
// password ([SandboxPassword] of its role and id):
//   - an editorial cabinet for each municipality: its head moderates, the
//     other staff edit;
//   - an institution cabinet for each other body that has one (the ROIV's
//     is the default editorial cabinet): its staff edit;
//   - the LKO administration cabinet of the regional management centre,
//     with the region's LKO administrator.
func RegionState(r world.Region) State {
	people := map[int64]world.Person{}
	for _, p := range r.People {
		people[p.OID] = p
	}
	names := map[int64]string{}
	for _, o := range r.Organizations {
		names[o.OID] = o.ShortName
	}
	var st State
	user := func(id, cab, person int64, role string) {
		p := people[person]
		phone := "+7" + world.NormalizePhone(p.Phone)
		if p.Phone == "" {
			phone = fmt.Sprintf("+7911%07d", id%10_000_000)
		}
		st.Users = append(st.Users, StateUser{User: User{ID: id, CabinetID: cab, Phone: phone, Email: p.Email,
			Name: p.LastName + " " + p.FirstName, Role: role, Status: StatusConfirmed, PersonOID: person},
			Password: SandboxPassword(role, id)})
	}
	for _, b := range r.Bodies {
		if b.Cabinet == 0 || b.Kind == world.BodyROIV {
			continue
		}
		kind := KindInstitution
		if b.Kind == world.BodyMunicipality {
			kind = KindEditorial
		}
		st.Cabinets = append(st.Cabinets, Cabinet{ID: b.Cabinet, Kind: kind, OrgOID: b.OID, OrgName: names[b.OID]})
		n := int64(0)
		if kind == KindEditorial {
			n++
			user(b.Cabinet+n, b.Cabinet, b.Chief, RoleModerator)
		} else if len(b.Staff) == 0 {
			n++
			user(b.Cabinet+n, b.Cabinet, b.Chief, RoleEditor)
		}
		for _, s := range b.Staff {
			n++
			user(b.Cabinet+n, b.Cabinet, s, RoleEditor)
		}
	}
	if r.LKOCabinet != 0 && r.LKOAdmin != 0 {
		center := r.ROIV
		for _, b := range r.Bodies {
			if b.Kind == world.BodyCenter {
				center = b.OID
			}
		}
		st.Cabinets = append(st.Cabinets, Cabinet{ID: r.LKOCabinet, Kind: KindLKO, OrgOID: center, OrgName: names[center]})
		user(r.LKOCabinet+1, r.LKOCabinet, r.LKOAdmin, RoleLKOAdmin)
	}
	return st
}

// StateOf returns the section's content in sc.
func StateOf(sc world.Scenario) (State, error) { return decodeState(sc.Sections[SectionName]) }

// PutState stores st as the section's content in sc.
func PutState(sc *world.Scenario, st State) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if sc.Sections == nil {
		sc.Sections = map[string]json.RawMessage{}
	}
	sc.Sections[SectionName] = b
	return nil
}
