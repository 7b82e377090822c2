package govpage

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestOKPage(t *testing.T) {
	pressed := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/settings":
			w.Write([]byte(`<dd id="gov_status">Не подтверждено</dd><button id="gosuslugi" disabled>x</button><ul id="unmet"><li>Группа закрыта</li><li>Нет города</li></ul>`))
		case r.Method == http.MethodPost && r.URL.Path == "/settings" && !pressed:
			pressed = true
			w.WriteHeader(http.StatusConflict)
		case r.Method == http.MethodPost && r.URL.Path == "/settings":
			http.Redirect(w, r, "/done", http.StatusFound)
		case r.URL.Path == "/done":
			w.Write([]byte("ok"))
		default:
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`<p id="error">broken secret-token</p>`))
		}
	}))
	defer srv.Close()
	p := &OK{HC: srv.Client(), URL: srv.URL + "/settings?access_token=secret-token"}
	st, err := p.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != "Не подтверждено" || st.Active || len(st.Unmet) != 2 || st.Unmet[1] != "Нет города" {
		t.Fatalf("state %+v", st)
	}
	if _, err := p.Press(context.Background()); !errors.Is(err, ErrRefused) {
		t.Fatalf("inactive press: %v", err)
	}
	hops, err := p.Press(context.Background())
	if err != nil || len(hops) != 1 || !strings.HasSuffix(hops[0], "/done") {
		t.Fatalf("hops %v, %v", hops, err)
	}
	bad := &OK{HC: srv.Client(), URL: srv.URL + "/other?access_token=secret-token"}
	if _, err := bad.Get(context.Background()); err == nil || !strings.Contains(err.Error(), "HTTP 500: broken") {
		t.Fatalf("error page: %v", err)
	}
}

func TestVKPageRedactsToken(t *testing.T) {
	p := &VK{HC: &http.Client{}, Base: "http://127.0.0.1:1", Group: 1, Token: "vk1.a.secret"}
	_, err := p.Get(context.Background())
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("the token leaks or no error: %v", err)
	}
	if got := Redact("a vk1.a.secret b", "vk1.a.secret"); got != "a <token> b" {
		t.Fatal(got)
	}
}
