package tgmock

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode/utf8"
)

// Text lengths are counted in UTF-16 code units, the unit Telegram uses for
// entity offsets. The Bot API documents the 4096 and 1024 limits "after
// entities parsing" in characters without saying which unit; counting UTF-16
// units is the stricter reading for text outside the Basic Multilingual Plane
// (emoji count 2), so an app that passes the emulator passes Telegram.
const (
	maxTextLen     = 4096
	maxCaptionLen  = 1024
	maxQuestionLen = 300
	maxOptionLen   = 100
)

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// parseText applies parse_mode to s and returns the plain text and its
// entities, or a "can't parse entities" description.
func parseText(s, mode string) (string, []MessageEntity, string) {
	switch strings.ToLower(mode) {
	case "":
		return s, nil, ""
	case "html":
		return parseHTML(s)
	case "markdownv2":
		return parseMarkdown(s, true)
	case "markdown":
		return parseMarkdown(s, false)
	}
	return "", nil, "Bad Request: unsupported parse_mode"
}

type entityBuilder struct {
	out  strings.Builder
	u16  int
	ents []MessageEntity
}

func (b *entityBuilder) writeString(s string) {
	b.out.WriteString(s)
	b.u16 += utf16Len(s)
}

func (b *entityBuilder) writeRune(r rune) {
	b.out.WriteRune(r)
	if r >= 0x10000 {
		b.u16 += 2
	} else {
		b.u16++
	}
}

func (b *entityBuilder) add(e MessageEntity) {
	if e.Length > 0 {
		b.ents = append(b.ents, e)
	}
}

func (b *entityBuilder) result() (string, []MessageEntity, string) {
	slices.SortStableFunc(b.ents, func(x, y MessageEntity) int {
		if x.Offset != y.Offset {
			return x.Offset - y.Offset
		}
		return y.Length - x.Length
	})
	return b.out.String(), b.ents, ""
}

func cantParse(format string, args ...any) string {
	return "Bad Request: can't parse entities: " + fmt.Sprintf(format, args...)
}

var htmlTags = map[string]string{
	"b": "bold", "strong": "bold", "i": "italic", "em": "italic",
	"u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
	"blockquote": "blockquote", "tg-emoji": "custom_emoji",
}

type openTag struct {
	name   string
	offset int
	ent    MessageEntity
}

// parseHTML implements the Bot API "HTML style".
func parseHTML(s string) (string, []MessageEntity, string) {
	var b entityBuilder
	var stack []openTag
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", nil, cantParse("Unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+end]
			start := i
			i += end + 1
			if strings.HasPrefix(tag, "/") {
				name := strings.ToLower(strings.TrimSpace(tag[1:]))
				if len(stack) == 0 {
					return "", nil, cantParse("Unexpected end tag at byte offset %d", start)
				}
				top := stack[len(stack)-1]
				if name != top.name {
					return "", nil, cantParse("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", start, top.name, name)
				}
				stack = stack[:len(stack)-1]
				e := top.ent
				e.Offset, e.Length = top.offset, b.u16-top.offset
				// <pre><code class="language-x"> becomes one pre entity.
				if e.Type == "code" && len(stack) > 0 && stack[len(stack)-1].name == "pre" && e.Language != "" {
					stack[len(stack)-1].ent.Language = e.Language
					continue
				}
				if e.Type == "code" {
					e.Language = ""
				}
				b.add(e)
				continue
			}
			name, attrs, _ := strings.Cut(tag, " ")
			name = strings.ToLower(name)
			typ, ok := htmlTags[name]
			if !ok {
				return "", nil, cantParse("Unsupported start tag \"%s\" at byte offset %d", name, start)
			}
			e := MessageEntity{Type: typ}
			switch name {
			case "a":
				e.URL = htmlAttr(attrs, "href")
				if e.URL == "" {
					typ = ""
				}
			case "span":
				if htmlAttr(attrs, "class") != "tg-spoiler" {
					return "", nil, cantParse("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", start)
				}
			case "code":
				e.Language = strings.TrimPrefix(htmlAttr(attrs, "class"), "language-")
			case "blockquote":
				if strings.Contains(attrs, "expandable") {
					e.Type = "expandable_blockquote"
				}
			}
			if typ == "" {
				e.Type = "" // a link without href: text only
			}
			stack = append(stack, openTag{name: name, offset: b.u16, ent: e})
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end > 0 && end <= 10 {
				if u := html.UnescapeString(s[i : i+end+1]); u != s[i:i+end+1] {
					b.writeString(u)
					i += end + 1
					continue
				}
			}
			b.writeRune('&')
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			b.writeRune(r)
			i += size
		}
	}
	if len(stack) > 0 {
		return "", nil, cantParse("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	out := b.ents[:0]
	for _, e := range b.ents {
		if e.Type != "" {
			out = append(out, e)
		}
	}
	b.ents = out
	return b.result()
}

// htmlAttr extracts attribute name's value from a tag's attribute text.
func htmlAttr(attrs, name string) string {
	for attrs != "" {
		attrs = strings.TrimSpace(attrs)
		k, rest, ok := strings.Cut(attrs, "=")
		if !ok {
			return ""
		}
		k = strings.ToLower(strings.TrimSpace(k))
		rest = strings.TrimSpace(rest)
		var v string
		if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
			q := rest[0]
			end := strings.IndexByte(rest[1:], q)
			if end < 0 {
				return ""
			}
			v, attrs = rest[1:1+end], rest[2+end:]
		} else {
			v, attrs, _ = strings.Cut(rest, " ")
		}
		if k == name {
			return html.UnescapeString(v)
		}
	}
	return ""
}

const mdV2Reserved = "_*[]()~`>#+-=|{}.!"

var mdNames = map[string]string{
	"bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
	"spoiler": "Spoiler", "code": "Code", "pre": "Pre", "text_link": "TextUrl",
}

type mdOpen struct {
	typ    string
	delim  string
	offset int
	byteAt int
}

// parseMarkdown implements MarkdownV2 (v2 true) and the legacy Markdown
// style.
func parseMarkdown(s string, v2 bool) (string, []MessageEntity, string) {
	var b entityBuilder
	var stack []mdOpen
	top := func() *mdOpen {
		if len(stack) == 0 {
			return nil
		}
		return &stack[len(stack)-1]
	}
	closeOrOpen := func(typ, delim string, at int) string {
		if t := top(); t != nil && t.typ == typ {
			stack = stack[:len(stack)-1]
			b.add(MessageEntity{Type: typ, Offset: t.offset, Length: b.u16 - t.offset})
			return ""
		}
		for _, o := range stack {
			if o.typ == typ {
				return cantParse("Can't find end of %s entity at byte offset %d", mdNames[o.typ], o.byteAt)
			}
		}
		stack = append(stack, mdOpen{typ: typ, delim: delim, offset: b.u16, byteAt: at})
		return ""
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\\' && (v2 || (i+1 < len(s) && strings.IndexByte("_*`[", s[i+1]) >= 0)) {
			if i+1 < len(s) && s[i+1] > 0 && s[i+1] < 127 {
				b.writeRune(rune(s[i+1]))
				i += 2
				continue
			}
			if v2 {
				return "", nil, cantParse("Character '\\' is reserved and must be escaped with the preceding '\\'")
			}
		}
		switch {
		case c == '`' && strings.HasPrefix(s[i:], "```"):
			start := i
			i += 3
			lang := ""
			if nl := strings.IndexByte(s[i:], '\n'); nl >= 0 {
				if l := s[i : i+nl]; l != "" && !strings.ContainsAny(l, " `") {
					lang, i = l, i+nl+1
				}
			}
			end := strings.Index(s[i:], "```")
			if end < 0 {
				return "", nil, cantParse("Can't find end of Pre entity at byte offset %d", start)
			}
			off := b.u16
			b.writeString(mdUnescapeCode(s[i:i+end], v2))
			b.add(MessageEntity{Type: "pre", Offset: off, Length: b.u16 - off, Language: lang})
			i += end + 3
			continue
		case c == '`':
			end := strings.IndexByte(s[i+1:], '`')
			if end < 0 {
				return "", nil, cantParse("Can't find end of Code entity at byte offset %d", i)
			}
			off := b.u16
			b.writeString(mdUnescapeCode(s[i+1:i+1+end], v2))
			b.add(MessageEntity{Type: "code", Offset: off, Length: b.u16 - off})
			i += end + 2
			continue
		case c == '*':
			if e := closeOrOpen("bold", "*", i); e != "" {
				return "", nil, e
			}
			i++
			continue
		case c == '_' && v2 && strings.HasPrefix(s[i:], "__"):
			if e := closeOrOpen("underline", "__", i); e != "" {
				return "", nil, e
			}
			i += 2
			continue
		case c == '_':
			if e := closeOrOpen("italic", "_", i); e != "" {
				return "", nil, e
			}
			i++
			continue
		case c == '~' && v2:
			if e := closeOrOpen("strikethrough", "~", i); e != "" {
				return "", nil, e
			}
			i++
			continue
		case c == '|' && v2 && strings.HasPrefix(s[i:], "||"):
			if e := closeOrOpen("spoiler", "||", i); e != "" {
				return "", nil, e
			}
			i += 2
			continue
		case c == '[':
			stack = append(stack, mdOpen{typ: "text_link", delim: "[", offset: b.u16, byteAt: i})
			i++
			continue
		case c == ']':
			t := top()
			if t == nil || t.typ != "text_link" {
				if v2 {
					return "", nil, cantParse("Character ']' is reserved and must be escaped with the preceding '\\'")
				}
				b.writeRune(']')
				i++
				continue
			}
			stack = stack[:len(stack)-1]
			if i+1 >= len(s) || s[i+1] != '(' {
				// [text] without a URL is plain text.
				i++
				continue
			}
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				return "", nil, cantParse("Can't find end of a URL at byte offset %d", i+1)
			}
			url := strings.ReplaceAll(s[i+2:i+2+end], `\)`, ")")
			b.add(MessageEntity{Type: "text_link", Offset: t.offset, Length: b.u16 - t.offset, URL: strings.ReplaceAll(url, `\\`, `\`)})
			i += end + 3
			continue
		case v2 && c == '>' && (i == 0 || s[i-1] == '\n'):
			nl := strings.IndexByte(s[i:], '\n')
			if nl < 0 {
				nl = len(s) - i
			}
			inner, ents, errs := parseMarkdown(s[i+1:i+nl], true)
			if errs != "" {
				return "", nil, errs
			}
			off := b.u16
			for _, e := range ents {
				e.Offset += off
				b.ents = append(b.ents, e)
			}
			b.writeString(inner)
			b.add(MessageEntity{Type: "blockquote", Offset: off, Length: b.u16 - off})
			i += nl
			continue
		case v2 && strings.IndexByte(mdV2Reserved, c) >= 0:
			return "", nil, cantParse("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b.writeRune(r)
		i += size
	}
	if t := top(); t != nil {
		if !v2 {
			return "", nil, cantParse("Can't find end of the entity starting at byte offset %d", t.byteAt)
		}
		return "", nil, cantParse("Can't find end of %s entity at byte offset %d", mdNames[t.typ], t.byteAt)
	}
	// Merge adjacent blockquote lines into one entity.
	text, ents, _ := b.result()
	var merged []MessageEntity
	for _, e := range ents {
		if n := len(merged); n > 0 && e.Type == "blockquote" && merged[n-1].Type == "blockquote" && merged[n-1].Offset+merged[n-1].Length+1 >= e.Offset {
			merged[n-1].Length = e.Offset + e.Length - merged[n-1].Offset
			continue
		}
		merged = append(merged, e)
	}
	return text, merged, ""
}

func mdUnescapeCode(s string, v2 bool) string {
	if !v2 || !strings.Contains(s, `\`) {
		return s
	}
	r := strings.NewReplacer("\\`", "`", `\\`, `\`)
	return r.Replace(s)
}
