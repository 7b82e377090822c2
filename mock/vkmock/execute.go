package vkmock

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/world"
)

// MaxExecuteCalls is the most API calls one execute may make (VK: 25).
const MaxExecuteCalls = 25

// Bounds of the interpreter, so no input exhausts it.
const (
	maxCodeLen = 64 << 10
	maxDepth   = 64
)

// executeError is one entry of execute_errors.
type executeError struct {
	Method string `json:"method"`
	Code   int    `json:"error_code"`
	Msg    string `json:"error_msg"`
}

// executeResult is execute's answer: the response and, when some calls
// failed, execute_errors.
type executeResult struct {
	Response any
	Errors   []executeError
}

// Node kinds of the VKScript subset.
type nodeKind int

const (
	nLit nodeKind = iota
	nArr
	nObj
	nCall
	nArg
)

type node struct {
	kind   nodeKind
	val    any // nLit
	items  []*node
	keys   []string
	method string // nCall
	name   string // nArg
}

// Program is a parsed VKScript program of the subset the emulator runs:
// "return <expr>;" where an expression is a literal (string, number,
// true, false, null), an array, an object, Args.<name> or
// API.<section>.<method>(<object>).
type Program struct {
	root  *node
	calls int
}

// Calls returns the number of API calls in the program.
func (p *Program) Calls() int { return p.calls }

// CompileError is a program outside the subset (VK's error 12).
type CompileError struct {
	Pos int
	Msg string
}

func (e *CompileError) Error() string { return fmt.Sprintf("vkscript: %s at %d", e.Msg, e.Pos) }

// Parse compiles a VKScript program of the subset.
func Parse(code string) (*Program, error) {
	if len(code) > maxCodeLen {
		return nil, &CompileError{0, "code too long"}
	}
	if !utf8.ValidString(code) {
		return nil, &CompileError{0, "invalid UTF-8"}
	}
	p := &parser{src: code}
	p.skip()
	if !p.word("return") {
		return nil, p.fail("expected return")
	}
	root, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.pos < len(p.src) && p.src[p.pos] == ';' {
		p.pos++
	}
	p.skip()
	if p.pos != len(p.src) {
		return nil, p.fail("unexpected code after return")
	}
	return &Program{root: root, calls: p.calls}, nil
}

type parser struct {
	src   string
	pos   int
	calls int
}

func (p *parser) fail(msg string) error { return &CompileError{p.pos, msg} }

func (p *parser) skip() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case strings.HasPrefix(p.src[p.pos:], "//"):
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func isIdentStart(c byte) bool { return c == '_' || c == '$' || (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isIdent(c byte) bool      { return isIdentStart(c) || c >= '0' && c <= '9' }

func (p *parser) ident() string {
	p.skip()
	start := p.pos
	if p.pos >= len(p.src) || !isIdentStart(p.src[p.pos]) {
		return ""
	}
	for p.pos < len(p.src) && isIdent(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos]
}

// word consumes a keyword.
func (p *parser) word(w string) bool {
	save := p.pos
	if p.ident() == w {
		return true
	}
	p.pos = save
	return false
}

func (p *parser) punct(c byte) bool {
	p.skip()
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expr(depth int) (*node, error) {
	if depth > maxDepth {
		return nil, p.fail("nesting too deep")
	}
	p.skip()
	if p.pos >= len(p.src) {
		return nil, p.fail("unexpected end")
	}
	switch c := p.src[p.pos]; {
	case c == '"' || c == '\'':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &node{kind: nLit, val: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == '[':
		p.pos++
		n := &node{kind: nArr}
		for {
			if p.punct(']') {
				return n, nil
			}
			it, err := p.expr(depth + 1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, it)
			if p.punct(',') {
				continue
			}
			if p.punct(']') {
				return n, nil
			}
			return nil, p.fail("expected , or ]")
		}
	case c == '{':
		p.pos++
		return p.object(depth)
	case isIdentStart(c):
		id := p.ident()
		switch id {
		case "true":
			return &node{kind: nLit, val: true}, nil
		case "false":
			return &node{kind: nLit, val: false}, nil
		case "null":
			return &node{kind: nLit, val: nil}, nil
		case "Args":
			if !p.punct('.') {
				return nil, p.fail("expected Args.<name>")
			}
			name := p.ident()
			if name == "" {
				return nil, p.fail("expected Args.<name>")
			}
			return &node{kind: nArg, name: name}, nil
		case "API":
			if !p.punct('.') {
				return nil, p.fail("expected API.<section>.<method>")
			}
			sec := p.ident()
			if sec == "" || !p.punct('.') {
				return nil, p.fail("expected API.<section>.<method>")
			}
			m := p.ident()
			if m == "" || !p.punct('(') {
				return nil, p.fail("expected API.<section>.<method>(")
			}
			n := &node{kind: nCall, method: sec + "." + m}
			if !p.punct(')') {
				if !p.punct('{') {
					return nil, p.fail("expected an object of parameters")
				}
				args, err := p.object(depth)
				if err != nil {
					return nil, err
				}
				n.items = []*node{args}
				if !p.punct(')') {
					return nil, p.fail("expected )")
				}
			}
			p.calls++
			return n, nil
		}
		return nil, p.fail("unsupported identifier " + id)
	}
	return nil, p.fail("unexpected character")
}

func (p *parser) object(depth int) (*node, error) {
	n := &node{kind: nObj}
	for {
		if p.punct('}') {
			return n, nil
		}
		p.skip()
		var key string
		if p.pos < len(p.src) && (p.src[p.pos] == '"' || p.src[p.pos] == '\'') {
			s, err := p.str()
			if err != nil {
				return nil, err
			}
			key = s
		} else if key = p.ident(); key == "" {
			return nil, p.fail("expected a key")
		}
		if !p.punct(':') {
			return nil, p.fail("expected :")
		}
		v, err := p.expr(depth + 1)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.items = append(n.items, v)
		if p.punct(',') {
			continue
		}
		if p.punct('}') {
			return n, nil
		}
		return nil, p.fail("expected , or }")
	}
}

func (p *parser) str() (string, error) {
	q := p.src[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == q:
			p.pos++
			return b.String(), nil
		case c == '\\':
			if p.pos+1 >= len(p.src) {
				return "", p.fail("unterminated string")
			}
			e := p.src[p.pos+1]
			p.pos += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'u':
				if p.pos+4 > len(p.src) {
					return "", p.fail("bad escape")
				}
				var r rune
				if _, err := fmt.Sscanf(p.src[p.pos:p.pos+4], "%04x", &r); err != nil {
					return "", p.fail("bad escape")
				}
				b.WriteRune(r)
				p.pos += 4
			default:
				b.WriteByte(e)
			}
		case c == '\n':
			return "", p.fail("unterminated string")
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.fail("unterminated string")
}

func (p *parser) number() (*node, error) {
	start := p.pos
	if p.src[p.pos] == '-' {
		p.pos++
	}
	digits := 0
	for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
		p.pos++
		digits++
	}
	if digits == 0 {
		return nil, p.fail("expected a number")
	}
	lit := p.src[start:p.pos]
	var f float64
	if err := json.Unmarshal([]byte(lit), &f); err != nil {
		return nil, p.fail("bad number")
	}
	return &node{kind: nLit, val: json.Number(lit)}, nil
}

// paramString renders a value as a request parameter: booleans as 1/0,
// arrays comma-joined, objects as JSON.
func paramString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "1"
		}
		return "0"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = paramString(e)
		}
		return strings.Join(parts, ",")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// execute runs the code parameter.
func (c *call) execute(tenant string) (any, *apiError) {
	code := c.str("code")
	if strings.TrimSpace(code) == "" {
		return nil, errMissing("code")
	}
	prog, err := Parse(code)
	if err != nil {
		return nil, errMsg(12, err.Error())
	}
	if prog.calls > MaxExecuteCalls {
		return nil, errMsg(13, "Too many API calls")
	}
	ex := &executor{c: c, tenant: tenant}
	v := ex.eval(prog.root)
	return executeResult{Response: v, Errors: ex.errs}, nil
}

type executor struct {
	c      *call
	tenant string
	errs   []executeError
}

func (ex *executor) eval(n *node) any {
	switch n.kind {
	case nLit:
		return n.val
	case nArr:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = ex.eval(it)
		}
		return out
	case nObj:
		out := make(map[string]any, len(n.items))
		for i, it := range n.items {
			out[n.keys[i]] = ex.eval(it)
		}
		return out
	case nArg:
		if !ex.c.p.has(n.name) {
			return nil
		}
		return ex.c.p.str(n.name)
	case nCall:
		var args map[string]any
		if len(n.items) == 1 {
			args, _ = ex.eval(n.items[0]).(map[string]any)
		}
		res, e := ex.c.inner(n.method, args, ex.tenant)
		if e != nil {
			ex.errs = append(ex.errs, executeError{Method: n.method, Code: e.Code, Msg: e.Msg})
			return false
		}
		return res
	}
	return nil
}

// inner runs one call inside execute with the outer call's token: the
// token kind, the fault rules of the method and its handler.
func (c *call) inner(name string, args map[string]any, tenant string) (any, *apiError) {
	m, ok := c.s.methods[strings.ToLower(name)]
	if !ok || m.h == nil {
		return nil, errCode(3)
	}
	if e := checkKind(m, c.tok); e != nil {
		return nil, e
	}
	vals := url.Values{}
	for k, v := range args {
		vals.Set(k, paramString(v))
	}
	ic := &call{s: c.s, tok: c.tok, p: params{v: vals}, r: c.r, now: c.s.w.Clock.Now(), method: m.name, inExec: true}
	var after *apiError
	flat := func() map[string]string {
		out := make(map[string]string, len(vals))
		for k := range vals {
			if !secretParam(k) {
				out[k] = vals.Get(k)
			}
		}
		return out
	}
	if f := c.s.w.Faults.MatchParams(Party, strings.ToLower(m.name), tenant, flat); f != nil {
		switch f.Kind {
		case world.FaultHTTPStatus:
			// Inside execute a gateway failure of one call is VK's
			// internal error; the outer request still answers 200.
			return nil, errCode(10)
		case world.FaultError:
			return nil, c.s.injected(f.Code, f.Description)
		case world.FaultRateLimit:
			return nil, errCode(6)
		case world.FaultErrorAfter, world.FaultDropAfter, world.FaultTruncate:
			after = c.s.injected(f.Code, f.Description)
		case world.FaultDropBefore:
			return nil, errCode(10)
		}
	}
	res, e := m.h(ic)
	if after != nil {
		return nil, after
	}
	return res, e
}
