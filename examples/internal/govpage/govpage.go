// Package govpage walks the networks' «Госорганизация» pages as an
// administrator's browser would: VK's community management page and OK's
// group settings page, each with its «Подтвердить через Госуслуги»
// button, whose redirects go through Gosuslugi (the ESIA emulator) and
// back.
package govpage

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// ErrRefused is a press of an inactive button.
var ErrRefused = errors.New("the button is inactive")

// VK is a community's management page on the VK emulator; the
// administrator's session is her user token.
type VK struct {
	HC    *http.Client
	Base  string
	Group int64
	Token string
}

// VKState is what VK's management page shows.
type VKState struct {
	// Status is the verification status («Не подтверждено», «Заявка
	// рассматривается», «Подтвержден»).
	Status string
	// Missing lists what VK's reviewers will not accept.
	Missing []string
}

var (
	vkStatusRE  = regexp.MustCompile(`<p id="status"[^>]*>([^<]*)</p>`)
	vkMissingRE = regexp.MustCompile(`<li class="missing">([^<]*)</li>`)
	h1RE        = regexp.MustCompile(`<h1>([^<]*)</h1>`)
	reasonRE    = regexp.MustCompile(`<p class="reason">([^<]*)</p>`)
)

// Get reads the page.
func (g *VK) Get(ctx context.Context) (VKState, error) {
	u := g.Base + "/gov/" + strconv.FormatInt(g.Group, 10) + "?access_token=" + url.QueryEscape(g.Token)
	body, _, err := g.do(ctx, http.MethodGet, u, nil)
	if err != nil {
		return VKState{}, err
	}
	var st VKState
	if m := vkStatusRE.FindStringSubmatch(body); m != nil {
		st.Status = html.UnescapeString(m[1])
	}
	for _, m := range vkMissingRE.FindAllStringSubmatch(body, -1) {
		st.Missing = append(st.Missing, html.UnescapeString(m[1]))
	}
	return st, nil
}

// Press submits «Подтвердить через Госуслуги» and follows the redirects;
// it returns the pages the browser went through (host and path: queries
// carry the session and ESIA's state) and the final page's title.
func (g *VK) Press(ctx context.Context) ([]string, string, error) {
	u := g.Base + "/gov/" + strconv.FormatInt(g.Group, 10) + "/request"
	body, hops, err := g.do(ctx, http.MethodPost, u, url.Values{"access_token": {g.Token}})
	if err != nil {
		return hops, "", err
	}
	title := ""
	if m := h1RE.FindStringSubmatch(body); m != nil {
		title = html.UnescapeString(m[1])
	}
	return hops, title, nil
}

func (g *VK) do(ctx context.Context, method, u string, form url.Values) (string, []string, error) {
	b, hops, status, err := browse(ctx, g.HC, method, u, form)
	if err != nil {
		return "", hops, errors.New("management page: " + Redact(err.Error(), g.Token))
	}
	if status != http.StatusOK {
		msg := ""
		if m := h1RE.FindSubmatch(b); m != nil {
			msg = html.UnescapeString(string(m[1]))
		}
		if m := reasonRE.FindSubmatch(b); m != nil {
			msg += ": " + html.UnescapeString(string(m[1]))
		}
		return "", hops, fmt.Errorf("management page: HTTP %d: %s", status, msg)
	}
	return string(b), hops, nil
}

// OK is a group's settings page on the OK emulator; URL carries the
// administrator's session (her access token).
type OK struct {
	HC  *http.Client
	URL string
}

// OKState is what OK's settings page shows.
type OKState struct {
	// Status is «Государственный статус».
	Status string
	// Active is whether «Подтвердить через Госуслуги» may be pressed.
	Active bool
	// Unmet lists why it may not.
	Unmet []string
}

var (
	okStatusRE = regexp.MustCompile(`<dd id="gov_status"[^>]*>([^<]*)</dd>`)
	okButtonRE = regexp.MustCompile(`<button id="gosuslugi"[^>]*>`)
	okUnmetRE  = regexp.MustCompile(`(?s)<ul id="unmet">(.*?)</ul>`)
	okItemRE   = regexp.MustCompile(`<li>([^<]*)</li>`)
	okErrorRE  = regexp.MustCompile(`<p id="error">([^<]*)</p>`)
)

// Get reads the page.
func (s *OK) Get(ctx context.Context) (OKState, error) {
	body, _, err := s.do(ctx, http.MethodGet, nil)
	if err != nil {
		return OKState{}, err
	}
	var st OKState
	if m := okStatusRE.FindStringSubmatch(body); m != nil {
		st.Status = html.UnescapeString(m[1])
	}
	button := okButtonRE.FindString(body)
	if button == "" {
		return st, errors.New("the settings page has no «Подтвердить через Госуслуги» button")
	}
	st.Active = !strings.Contains(button, "disabled")
	if m := okUnmetRE.FindStringSubmatch(body); m != nil {
		for _, li := range okItemRE.FindAllStringSubmatch(m[1], -1) {
			st.Unmet = append(st.Unmet, html.UnescapeString(li[1]))
		}
	}
	return st, nil
}

// Press submits the button's form and follows the redirects, as a
// browser would; it returns the host and path of every page the browser
// went through, or ErrRefused when the button is inactive.
func (s *OK) Press(ctx context.Context) ([]string, error) {
	_, hops, err := s.do(ctx, http.MethodPost, url.Values{"action": {"gosuslugi"}})
	return hops, err
}

func (s *OK) do(ctx context.Context, method string, form url.Values) (string, []string, error) {
	b, hops, status, err := browse(ctx, s.HC, method, s.URL, form)
	if err != nil {
		u, _ := url.Parse(s.URL)
		tok := ""
		if u != nil {
			tok = u.Query().Get("access_token")
		}
		return "", hops, errors.New("settings page: " + Redact(err.Error(), tok))
	}
	switch {
	case status == http.StatusConflict:
		return "", hops, ErrRefused
	case status != http.StatusOK:
		msg := string(b)
		if m := okErrorRE.FindStringSubmatch(msg); m != nil {
			msg = html.UnescapeString(m[1])
		}
		return "", hops, fmt.Errorf("settings page: HTTP %d: %s", status, msg)
	}
	return string(b), hops, nil
}

// browse sends a request (a form when form is not nil) and follows the
// redirects, recording each hop's host and path.
func browse(ctx context.Context, hc *http.Client, method, u string, form url.Values) ([]byte, []string, int, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, nil, 0, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	var hops []string
	c := *hc
	c.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("too many redirects")
		}
		hops = append(hops, r.URL.Host+r.URL.Path)
		return nil
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, hops, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return b, hops, resp.StatusCode, err
}

// Redact removes a token (raw and query-escaped) from a message.
func Redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.NewReplacer(token, "<token>", url.QueryEscape(token), "<token>").Replace(s)
}
