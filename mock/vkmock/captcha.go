package vkmock

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/gospubliki/gosdk/mock/emu"
)

// newCaptcha returns error 14 with a new challenge: captcha_sid, the image
// URL and the redirect_uri of VK's newer flow, all on the emulator.
func (s *Server) newCaptcha() *apiError {
	sid := newSecret(6)
	key := strings.ToLower(newSecret(3))
	s.issueCred(sid)
	s.mu.Lock()
	s.st.prune(s.w.Clock.Now(), 0)
	s.st.captchas[sid] = key
	s.mu.Unlock()
	e := errCode(14)
	e.CaptchaSID = sid
	e.CaptchaImg = s.base + "/captcha/" + sid
	e.RedirectURI = s.base + "/captcha/" + sid + ".html"
	return e
}

// checkCaptcha answers a retry carrying captcha_sid/captcha_key or a
// success_token: a right answer passes once, a wrong one gets a new
// challenge.
func (s *Server) checkCaptcha(p params) *apiError {
	if tok := p.str("success_token"); tok != "" {
		s.mu.Lock()
		ok := s.st.success[tok]
		delete(s.st.success, tok)
		s.mu.Unlock()
		if !ok {
			return s.newCaptcha()
		}
		return nil
	}
	if sid := p.str("captcha_sid"); sid != "" {
		s.mu.Lock()
		key, ok := s.st.captchas[sid]
		if ok && strings.EqualFold(key, p.str("captcha_key")) {
			delete(s.st.captchas, sid)
		} else {
			ok = false
		}
		s.mu.Unlock()
		if !ok {
			return s.newCaptcha()
		}
	}
	return nil
}

// CaptchaKey returns the answer of a pending captcha (what a person reads
// on the image).
func (s *Server) CaptchaKey(sid string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.st.captchas[sid]
	return k, ok
}

// SolveCaptcha solves a pending captcha the way a person does at its
// redirect_uri and returns the success_token to retry the call with.
func (s *Server) SolveCaptcha(sid string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.captchas[sid]; !ok {
		return "", false
	}
	delete(s.st.captchas, sid)
	tok := newSecret(16)
	s.st.success[tok] = true
	return tok, true
}

// serveCaptcha serves the captcha image (an SVG showing the key) and the
// redirect page: GET shows a form, POST with key=<answer> shows the
// success_token (JSON when asked with Accept: application/json).
func (s *Server) serveCaptcha(w http.ResponseWriter, r *http.Request, c *emu.Call, q *request) {
	sid, page := strings.CutSuffix(q.rest, ".html")
	key, ok := s.CaptchaKey(sid)
	if !ok {
		c.Code, c.Description = 404, "unknown captcha"
		http.NotFound(w, r)
		return
	}
	if !page {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="130" height="50"><text x="10" y="32" font-size="24">%s</text></svg>`, html.EscapeString(key))
		return
	}
	if r.Method == http.MethodPost {
		_ = r.ParseForm()
		if !strings.EqualFold(r.PostForm.Get("key"), key) {
			c.Code, c.Description = 400, "wrong captcha key"
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, "wrong key")
			return
		}
		tok, _ := s.SolveCaptcha(sid)
		if strings.Contains(r.Header.Get("Accept"), "application/json") {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]string{"success_token": tok})
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><p>Готово. success_token: <code id="success_token">%s</code></p>`, html.EscapeString(tok))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><title>Подтвердите действие</title><img src="%s"><form method="post"><input name="key"><button>Отправить</button></form>`,
		html.EscapeString(s.base+"/captcha/"+sid))
}
