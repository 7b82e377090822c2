package pos

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gospubliki/gosdk/identifiers"
)

// ProblemCode names what is wrong with a POS link. Codes are stable strings
// for reports.
type ProblemCode string

// Problem codes reported by [Forms.Parse] and [Forms.Check].
const (
	// ProblemSpace: the link contains whitespace (a space, a tab, a line
	// break), typically pasted from a document that wrapped it.
	ProblemSpace ProblemCode = "space"
	// ProblemEncodedSpace: the link contains "%20", an encoded space.
	ProblemEncodedSpace ProblemCode = "encoded-space"
	// ProblemSyntax: the link is not of the form scheme://host/path?query,
	// has a fragment, or a parameter without "=".
	ProblemSyntax ProblemCode = "syntax"
	// ProblemScheme: the scheme is not that of the base URL (https).
	ProblemScheme ProblemCode = "scheme"
	// ProblemHost: the host is not POS.
	ProblemHost ProblemCode = "host"
	// ProblemPath: the path is neither "/form/" nor "/og/org-activities".
	ProblemPath ProblemCode = "path"
	// ProblemMissingParam: a parameter the form needs is absent.
	ProblemMissingParam ProblemCode = "missing-param"
	// ProblemDuplicateParam: a parameter occurs more than once.
	ProblemDuplicateParam ProblemCode = "duplicate-param"
	// ProblemUnknownParam: a parameter the form does not take (or one of
	// the other form, such as reg_code in an appeal link).
	ProblemUnknownParam ProblemCode = "unknown-param"
	// ProblemConflictingParam: a polls link carries both reg_code and
	// mun_code.
	ProblemConflictingParam ProblemCode = "conflicting-param"
	// ProblemParamOrder: the parameters are all there but not in the order
	// the instruction writes them.
	ProblemParamOrder ProblemCode = "param-order"
	// ProblemOpaID: opaId is not a positive decimal number.
	ProblemOpaID ProblemCode = "bad-opa-id"
	// ProblemRegion: utm_medium or reg_code is not a region code.
	ProblemRegion ProblemCode = "bad-region"
	// ProblemRegionMismatch: reg_code and utm_medium differ, or the region
	// is not the expected one ([Forms.Check]).
	ProblemRegionMismatch ProblemCode = "region-mismatch"
	// ProblemMunCode: mun_code is not 8 digits.
	ProblemMunCode ProblemCode = "bad-mun-code"
	// ProblemOGRN: utm_campaign is not 13 digits.
	ProblemOGRN ProblemCode = "bad-ogrn"
	// ProblemOGRNChecksum: utm_campaign is 13 digits whose check digit is
	// wrong (a typo).
	ProblemOGRNChecksum ProblemCode = "ogrn-checksum"
	// ProblemUTMSource: utm_source is not the one of the form: "vk" for the
	// appeal form, "vk1" for a regional body's polls, "vk2" for a municipal
	// body's or a subordinate organisation's polls.
	ProblemUTMSource ProblemCode = "wrong-utm-source"
	// ProblemKindMismatch: the link opens another form than expected, e.g.
	// the regional polls on a municipal body's page ([Forms.Check]).
	ProblemKindMismatch ProblemCode = "kind-mismatch"
	// ProblemOpaIDMismatch: opaId is not the expected LKO ([Forms.Check]).
	ProblemOpaIDMismatch ProblemCode = "opa-id-mismatch"
	// ProblemMunCodeMismatch: mun_code is not the expected municipality
	// ([Forms.Check]).
	ProblemMunCodeMismatch ProblemCode = "mun-code-mismatch"
	// ProblemOGRNMismatch: utm_campaign is not the page owner's OGRN
	// ([Forms.Check]).
	ProblemOGRNMismatch ProblemCode = "ogrn-mismatch"
)

// Problem is one thing wrong with a link.
type Problem struct {
	// Code says what is wrong.
	Code ProblemCode
	// Part is the offending part of the link as written: a parameter
	// ("utm_source=vk"), a parameter name, the host, the path, or the
	// segment around a space.
	Part string
	// Err is the failed identifier check ([*identifiers.Error]) behind
	// ProblemRegion, ProblemOGRN and ProblemOGRNChecksum, or nil.
	Err error
}

// String returns "code: part".
func (p Problem) String() string {
	if p.Part == "" {
		return string(p.Code)
	}
	return string(p.Code) + ": " + strconv.Quote(p.Part)
}

// LinkError lists every problem of a link, in the order they occur.
type LinkError struct {
	Problems []Problem
}

// Error implements error.
func (e *LinkError) Error() string {
	var b strings.Builder
	b.WriteString("pos: bad link: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Has reports whether the error lists a problem with the code.
func (e *LinkError) Has(code ProblemCode) bool {
	for _, p := range e.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// Codes returns the codes of the problems, in order.
func (e *LinkError) Codes() []ProblemCode {
	out := make([]ProblemCode, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Code
	}
	return out
}

// ErrorCode returns "pos_bad_link" (see core.CodedError).
func (e *LinkError) ErrorCode() string { return "pos_bad_link" }

// Problems returns the problems of err when it is (or wraps) a
// [*LinkError], and nil otherwise.
func Problems(err error) []Problem {
	var le *LinkError
	if errors.As(err, &le) {
		return le.Problems
	}
	return nil
}

type problems []Problem

func (ps *problems) add(c ProblemCode, part string, err error) {
	*ps = append(*ps, Problem{Code: c, Part: part, Err: err})
}

// Parse reads a POS form link back into its parts. A link exactly as the
// builders write it gives a nil error; otherwise the error is a
// [*LinkError] listing every problem, and Link holds what could be read.
// Whitespace and "%20" are reported and then ignored, so that the rest of
// a wrapped link is still checked. The scheme, host and path must be the
// base URL's byte for byte (an upper-case host is reported), the
// parameters in the builders' order. A good link is parsed without
// allocating. Parse never panics.
func (f Forms) Parse(raw string) (Link, error) {
	var l Link
	var ps problems
	s := f.cleanSpaces(raw, &ps)

	// Scheme and host.
	wantScheme, wantHost, _ := strings.Cut(f.base(), "://")
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		ps.add(ProblemSyntax, s, nil)
		return l, &LinkError{Problems: ps}
	}
	if scheme != wantScheme {
		ps.add(ProblemScheme, scheme, nil)
	}
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		ps.add(ProblemSyntax, rest[i:], nil)
		rest = rest[:i]
	}
	hostPath, query, hasQuery := strings.Cut(rest, "?")
	host, path := hostPath, ""
	if i := strings.IndexByte(hostPath, '/'); i >= 0 {
		host, path = hostPath[:i], hostPath[i:]
	}
	if host != wantHost {
		ps.add(ProblemHost, host, nil)
	}

	// Path.
	polls := false
	switch path {
	case appealPath:
		l.Kind = LinkAppeal
	case pollsPath:
		polls = true
	case "/form":
		ps.add(ProblemPath, path, nil)
		l.Kind = LinkAppeal
	case pollsPath + "/":
		ps.add(ProblemPath, path, nil)
		polls = true
	default:
		ps.add(ProblemPath, path, nil)
	}
	if !hasQuery {
		ps.add(ProblemSyntax, "missing query", nil)
		return l, &LinkError{Problems: ps}
	}

	// Parameters.
	const (
		pOpa = iota
		pReg
		pMun
		pSource
		pMedium
		pCampaign
		nParams
	)
	names := [nParams]string{"opaId", "reg_code", "mun_code", "utm_source", "utm_medium", "utm_campaign"}
	var vals [nParams]string
	var seen [nParams]int // position+1
	order := make([]int, 0, 4)
	i := -1
	for kv := range strings.SplitSeq(query, "&") {
		i++
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			ps.add(ProblemSyntax, kv, nil)
			continue
		}
		idx := -1
		for j, n := range names {
			if k == n {
				idx = j
				break
			}
		}
		if idx < 0 {
			ps.add(ProblemUnknownParam, kv, nil)
			continue
		}
		if seen[idx] != 0 {
			ps.add(ProblemDuplicateParam, kv, nil)
			continue
		}
		seen[idx] = i + 1
		vals[idx] = v
		order = append(order, idx)
	}

	// The form, from the path and the first parameter.
	if l.Kind == LinkUnknown && !polls {
		switch {
		case seen[pOpa] != 0:
			l.Kind = LinkAppeal
		case seen[pReg] != 0 || seen[pMun] != 0:
			polls = true
		}
	}
	var first int
	switch {
	case l.Kind == LinkAppeal:
		first = pOpa
		for _, j := range []int{pReg, pMun} {
			if seen[j] != 0 {
				ps.add(ProblemUnknownParam, names[j]+"="+vals[j], nil)
			}
		}
	case polls:
		switch {
		case seen[pReg] != 0 && seen[pMun] != 0:
			ps.add(ProblemConflictingParam, "reg_code&mun_code", nil)
			l.Kind, first = LinkRegionalPolls, pReg
			if seen[pMun] < seen[pReg] {
				l.Kind, first = LinkMunicipalPolls, pMun
			}
		case seen[pMun] != 0:
			l.Kind, first = LinkMunicipalPolls, pMun
		case seen[pReg] != 0:
			l.Kind, first = LinkRegionalPolls, pReg
		default:
			ps.add(ProblemMissingParam, "reg_code|mun_code", nil)
			first = -1
		}
		if seen[pOpa] != 0 {
			ps.add(ProblemUnknownParam, "opaId="+vals[pOpa], nil)
		}
	default:
		ps.add(ProblemMissingParam, "opaId|reg_code|mun_code", nil)
		first = -1
	}
	want := []int{first, pSource, pMedium, pCampaign}
	complete := true
	for _, j := range want {
		if j >= 0 && seen[j] == 0 {
			ps.add(ProblemMissingParam, names[j], nil)
			complete = false
		}
	}
	if complete && first >= 0 {
		pos := 0
		inOrder := true
		for _, j := range order {
			if j == pOpa && first != pOpa || (j == pReg || j == pMun) && j != first {
				continue
			}
			if pos >= len(want) || want[pos] != j {
				inOrder = false
				break
			}
			pos++
		}
		if !inOrder {
			ps.add(ProblemParamOrder, query, nil)
		}
	}

	// Values.
	if seen[pOpa] != 0 && l.Kind == LinkAppeal {
		v := vals[pOpa]
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 || v[0] == '0' || v[0] == '+' {
			ps.add(ProblemOpaID, "opaId="+v, nil)
		} else {
			l.OpaID = n
		}
	}
	regOK := true
	if first == pReg {
		l.RegCode = vals[pReg]
		if err := identifiers.ValidateOKATORegion(l.RegCode); err != nil {
			ps.add(ProblemRegion, "reg_code="+l.RegCode, err)
			regOK = false
		}
	}
	if first == pMun {
		l.MunCode = vals[pMun]
		if len(l.MunCode) != 8 || identifiers.ValidateOKTMO(l.MunCode) != nil {
			ps.add(ProblemMunCode, "mun_code="+l.MunCode, nil)
		}
	}
	if seen[pSource] != 0 {
		l.UTMSource = vals[pSource]
		var want string
		switch l.Kind {
		case LinkAppeal:
			want = utmAppeal
		case LinkRegionalPolls:
			want = utmRegional
		case LinkMunicipalPolls:
			want = utmMunicipal
		}
		if want != "" && l.UTMSource != want {
			ps.add(ProblemUTMSource, "utm_source="+l.UTMSource, nil)
		}
	}
	if seen[pMedium] != 0 {
		l.UTMMedium = vals[pMedium]
		if err := identifiers.ValidateOKATORegion(l.UTMMedium); err != nil {
			ps.add(ProblemRegion, "utm_medium="+l.UTMMedium, err)
		} else if first == pReg && regOK && l.RegCode != l.UTMMedium {
			ps.add(ProblemRegionMismatch, "utm_medium="+l.UTMMedium, nil)
		}
	}
	if seen[pCampaign] != 0 {
		l.UTMCampaign = vals[pCampaign]
		if err := identifiers.ValidateOGRN(l.UTMCampaign); err != nil {
			code := ProblemOGRN
			if errors.Is(err, identifiers.RuleCheckDigit) {
				code = ProblemOGRNChecksum
			}
			ps.add(code, "utm_campaign="+l.UTMCampaign, err)
		}
	}
	if len(ps) > 0 {
		return l, &LinkError{Problems: ps}
	}
	return l, nil
}

// cleanSpaces reports every run of whitespace and every "%20" with the
// segment (between '/', '?' and '&') that holds it, and returns raw
// without them.
func (f Forms) cleanSpaces(raw string, ps *problems) string {
	if !strings.ContainsAny(raw, " \t\r\n\v\f") && !strings.Contains(raw, "%20") {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		code := ProblemCode("")
		n := 0
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f':
			code, n = ProblemSpace, 1
		case c == '%' && strings.HasPrefix(raw[i:], "%20"):
			code, n = ProblemEncodedSpace, 3
		}
		if n == 0 {
			b.WriteByte(c)
			i++
			continue
		}
		start := strings.LastIndexAny(raw[:i], "/?&") + 1
		end := i + n
		for end < len(raw) {
			if e := raw[end]; e == '/' || e == '?' || e == '&' {
				break
			}
			end++
		}
		seg := raw[start:end]
		if len(*ps) == 0 || (*ps)[len(*ps)-1].Part != seg || (*ps)[len(*ps)-1].Code != code {
			ps.add(code, seg, nil)
		}
		i += n
	}
	return b.String()
}

// Check parses raw and compares it with want, the link the page should
// carry (typically built by [Directory.Resolve]): besides the problems of
// [Forms.Parse] it reports ProblemKindMismatch, ProblemOpaIDMismatch,
// ProblemRegionMismatch, ProblemMunCodeMismatch and ProblemOGRNMismatch.
// The appeal form's opaId may name another organisation than utm_campaign
// (an organisation not connected to POS carries its superior's LKO); Check
// compares each with want, never with each other.
func (f Forms) Check(raw string, want Link) (Link, error) {
	got, err := f.Parse(raw)
	var ps problems
	if le, ok := err.(*LinkError); ok {
		ps = le.Problems
	}
	if got.Kind != want.Kind {
		ps.add(ProblemKindMismatch, got.Kind.String(), nil)
	} else {
		if want.Kind == LinkAppeal && got.OpaID != 0 && got.OpaID != want.OpaID {
			ps.add(ProblemOpaIDMismatch, "opaId="+strconv.FormatInt(got.OpaID, 10), nil)
		}
		if want.Kind == LinkMunicipalPolls && got.MunCode != "" && got.MunCode != want.MunCode {
			ps.add(ProblemMunCodeMismatch, "mun_code="+got.MunCode, nil)
		}
		if want.Kind == LinkRegionalPolls && got.RegCode != "" && got.RegCode != want.RegCode {
			ps.add(ProblemRegionMismatch, "reg_code="+got.RegCode, nil)
		}
	}
	if got.UTMMedium != "" && got.UTMMedium != want.UTMMedium {
		ps.add(ProblemRegionMismatch, "utm_medium="+got.UTMMedium, nil)
	}
	if got.UTMCampaign != "" && got.UTMCampaign != want.UTMCampaign {
		ps.add(ProblemOGRNMismatch, "utm_campaign="+got.UTMCampaign, nil)
	}
	if len(ps) > 0 {
		return got, &LinkError{Problems: ps}
	}
	return got, nil
}
