package esiamock

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock/world"
)

// TimestampLayout is the Go layout of ESIA's timestamp parameter
// ("2025.09.02 13:00:29 +0300").
const TimestampLayout = "2006.01.02 15:04:05 -0700"

// decodeSecret decodes a client_secret in any of the spellings seen in
// the wild: base64url with or without padding and standard base64 (whose
// "+" may have arrived as a space when a client did not escape it).
func decodeSecret(s string) ([]byte, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	s = strings.ReplaceAll(s, " ", "+")
	raw := strings.TrimRight(s, "=")
	if strings.ContainsAny(raw, "-_") {
		if b, err := base64.RawURLEncoding.DecodeString(raw); err == nil {
			return b, true
		}
		return nil, false
	}
	if b, err := base64.RawStdEncoding.DecodeString(raw); err == nil {
		return b, true
	}
	return nil, false
}

// parseTimestamp parses ESIA's timestamp; the "+" of the zone may have
// arrived as a space.
func parseTimestamp(s string) (time.Time, bool) {
	t, err := time.Parse(TimestampLayout, s)
	if err == nil {
		return t, true
	}
	if n := len(s); n > 5 && s[n-5] == ' ' {
		if t, err := time.Parse(TimestampLayout, s[:n-5]+"+"+s[n-4:]); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// isUUID reports whether s is a UUID in the canonical 8-4-4-4-12 form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// Person and organisation scopes known to the emulator (ESIA's scope list,
// "Таблица 67" of the Methodological Recommendations).
var (
	personScopes = map[string]bool{
		"openid": true, "fullname": true, "birthdate": true, "gender": true, "snils": true, "inn": true,
		"id_doc": true, "birthplace": true, "medical_doc": true, "military_doc": true,
		"foreign_passport_doc": true, "drivers_licence_doc": true, "birth_cert_doc": true,
		"residence_doc": true, "temporary_residence_doc": true, "vehicles": true, "email": true,
		"mobile": true, "contacts": true, "addresses": true, "usr_org": true, "usr_avt": true,
		"self_employed": true, "usr_reg_cxt": true, "prm_chg": true, "usr_brhs": true,
	}
	orgScopes = map[string]bool{
		"org_shortname": true, "org_fullname": true, "org_type": true, "org_ogrn": true, "org_inn": true,
		"org_leg": true, "org_kpp": true, "org_agencyterrange": true, "org_agencytype": true,
		"org_oktmo": true, "org_ctts": true, "org_addrs": true, "org_vhls": true, "org_grps": true,
		"org_emps": true, "org_brhs": true, "org_brhs_ctts": true, "org_brhs_addrs": true,
		"org_rcs": true, "org_stms": true, "org_invts": true, "categories": true,
	}
)

// scopeItem is one parsed scope item.
type scopeItem struct {
	raw    string // as sent
	name   string // bare name ("fullname", "org_inn")
	org    bool   // an organisation scope
	orgOID int64  // ?org_oid= (legacy org-scoped items)
	oid    int64  // ?oid= (already-suffixed person items)
}

// parseScopeItem parses "fullname", "fullname?oid=1",
// "http://esia.gosuslugi.ru/org_inn?org_oid=123" and the like.
func parseScopeItem(raw string) (scopeItem, bool) {
	it := scopeItem{raw: raw}
	s := raw
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return it, false
		}
		s = rest[j+1:]
	}
	name, query, hasQ := strings.Cut(s, "?")
	it.name = name
	switch {
	case personScopes[name] || strings.HasPrefix(name, "kid_") && len(name) > 4:
	case orgScopes[name]:
		it.org = true
	default:
		return it, false
	}
	if hasQ {
		q, err := url.ParseQuery(query)
		if err != nil || len(q) != 1 {
			return it, false
		}
		switch {
		case q.Has("org_oid") && it.org:
			n, err := strconv.ParseInt(q.Get("org_oid"), 10, 64)
			if err != nil || n <= 0 {
				return it, false
			}
			it.orgOID = n
		case q.Has("oid") && !it.org:
			n, err := strconv.ParseInt(q.Get("oid"), 10, 64)
			if err != nil || n <= 0 {
				return it, false
			}
			it.oid = n
		default:
			return it, false
		}
	}
	return it, true
}

// splitScope splits a space-separated scope parameter.
func splitScope(s string) []string { return strings.Fields(s) }

// redactedParam is the journal marker that replaces a secret value; the
// fingerprint lets a test correlate two requests without seeing the value.
func redactedParam(v string) string {
	if v == "" {
		return ""
	}
	return "[redacted " + world.Fingerprint(v) + "]"
}

// secretParams are never journalled in clear.
var secretParams = map[string]bool{
	"client_secret": true, "code": true, "refresh_token": true, "code_verifier": true,
	"password": true, "nonce": true, "access_token": true, "id_token": true,
	"permissions": true, "person_filter": true,
}

// journalParams copies the first value of each parameter, redacting
// secrets and bounding sizes.
func journalParams(form url.Values) map[string]string {
	out := make(map[string]string, len(form)+1)
	n := 0
	for k, vs := range form {
		if n >= 64 {
			break
		}
		n++
		if len(k) > 64 {
			k = k[:64]
		}
		v := ""
		if len(vs) > 0 {
			v = vs[0]
		}
		if secretParams[strings.ToLower(k)] {
			v = redactedParam(v)
		} else if len(v) > 512 {
			v = v[:512] + "…"
		}
		out[k] = v
	}
	return out
}
