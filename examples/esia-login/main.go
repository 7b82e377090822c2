// Command esia-login is a small web application that logs a user in through
// ESIA — here the gosdk sandbox's ESIA emulator — and shows who they are
// for their organisation: the organisation picked on ESIA's page, the
// user's roles (chief, administrator, active) and their access groups.
//
// It starts the sandbox in-process (mock.New), serves the application on
// loopback and prints the URL to open in a browser:
//
//	go run ./examples/esia-login
//
// Log in with the sandbox person it prints (phone, e-mail or SNILS and the
// password), choose the organisation, and the application verifies the
// tokens with the esia client (against the emulator's published
// certificate, with no test-only switch) and prints the result.
//
// With -headless it walks the same flow itself with an http.Client and a
// cookie jar, submitting ESIA's login form and organisation picker as a
// browser would, prints the result and exits:
//
//	go run ./examples/esia-login -headless
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/esia/gost"
	"github.com/gospubliki/gosdk/mock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// result is what the application learnt about the user.
type result struct {
	PersonOID int64
	Name      string
	Org       *esia.Organization
	Roles     []esia.Role
	Authority *esia.OrgAuthority
}

func (r *result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "user: %s (oid %d)\n", r.Name, r.PersonOID)
	if r.Org != nil {
		fmt.Fprintf(&b, "organisation: %s (oid %d, OGRN %s, INN %s, agency type %s)\n",
			r.Org.ShortName, r.Org.OID, r.Org.OGRN, r.Org.INN, r.Org.AgencyType)
	}
	for _, ro := range r.Roles {
		fmt.Fprintf(&b, "role: %s (oid %d) chief=%t admin=%t active=%t\n", ro.ShortName, ro.OID, ro.Chief, ro.Admin, ro.Active)
	}
	if r.Authority != nil {
		var groups []string
		for _, g := range r.Authority.Groups {
			groups = append(groups, g.Name+" ["+g.ID+"]")
		}
		fmt.Fprintf(&b, "access groups: %s\n", strings.Join(groups, "; "))
		fmt.Fprintf(&b, "may act for the organisation: %t\n", r.Authority.Chief || r.Authority.Admin)
	}
	return b.String()
}

// app is the web application.
type app struct {
	esia    *esia.Client
	baseURL string
	results chan *result
	errs    chan error
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("esia-login", flag.ContinueOnError)
	fs.SetOutput(stderr)
	headless := fs.Bool("headless", false, "walk the login flow with an HTTP client, print the result and exit")
	addr := fs.String("addr", "127.0.0.1:0", "loopback address of the application")
	legacy := fs.Bool("legacy", false, "use the legacy protocol (/aas/oauth2/ac, CMS client_secret) instead of v2/v3")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := serve(ctx, *addr, *headless, *legacy, stdout); err != nil {
		fmt.Fprintln(stderr, "esia-login:", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, addr string, headless, legacy bool, stdout io.Writer) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("refusing non-loopback address %s", addr)
	}
	sb, err := mock.New()
	if err != nil {
		return err
	}
	defer sb.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	appURL := "http://" + ln.Addr().String()

	cr := sb.Credentials.ESIA
	key, err := gost.ParsePrivateKeyPEM([]byte(cr.KeyPEM))
	if err != nil {
		return err
	}
	cert, err := gost.ParseCertificatePEM([]byte(cr.CertificatePEM))
	if err != nil {
		return err
	}
	signer, err := esia.NewGOSTSigner(key, cert)
	if err != nil {
		return err
	}
	cfg := esia.Config{
		BaseURL: sb.ESIAURL, ClientID: cr.ClientID, RedirectURL: appURL + "/callback", Signer: signer,
		Scopes:       []string{"openid", "fullname", "usr_org"},
		OrgScopes:    []string{"org_shortname", "org_fullname", "org_ogrn", "org_inn", "org_agencytype", "org_grps"},
		Certificates: [][]byte{[]byte(cr.ESIACertificatePEM)},
	}
	if legacy {
		cfg.Protocol = esia.ProtocolLegacy
		cfg.OrgScopes = nil
		cfg.Scopes = append(cfg.Scopes, "http://esia.gosuslugi.ru/org_shortname?org_oid="+fmt.Sprint(cr.OrgOID),
			"http://esia.gosuslugi.ru/org_ogrn?org_oid="+fmt.Sprint(cr.OrgOID),
			"http://esia.gosuslugi.ru/org_inn?org_oid="+fmt.Sprint(cr.OrgOID),
			"http://esia.gosuslugi.ru/org_agencytype?org_oid="+fmt.Sprint(cr.OrgOID),
			"http://esia.gosuslugi.ru/org_grps?org_oid="+fmt.Sprint(cr.OrgOID))
	}
	// The sandbox's fail-closed client: the app can reach only the sandbox.
	client, err := esia.New(cfg, core.WithHTTPClient(sb.HTTPClient()), core.WithClock(core.NowFunc(sb.Clock.Now)))
	if err != nil {
		return err
	}
	a := &app{esia: client, baseURL: appURL, results: make(chan *result, 1), errs: make(chan error, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /login", a.login)
	mux.HandleFunc("GET /callback", a.callback)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	if !headless {
		fmt.Fprintf(stdout, "ESIA sandbox: %s\nOpen %s/ in a browser and log in as %s (password %s).\nPress Ctrl-C to stop.\n",
			sb.ESIAURL, appURL, cr.Login, cr.Password)
		for {
			select {
			case r := <-a.results:
				fmt.Fprint(stdout, r)
			case err := <-a.errs:
				fmt.Fprintln(stdout, "login failed:", err)
			case <-ctx.Done():
				return nil
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	fmt.Fprintf(stdout, "ESIA sandbox: %s\napplication: %s\n", sb.ESIAURL, appURL)
	if err := browse(ctx, sb, appURL, cr.Login, cr.Password, ln.Addr().String(), stdout); err != nil {
		return err
	}
	select {
	case r := <-a.results:
		fmt.Fprint(stdout, r)
		return nil
	case err := <-a.errs:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>esia-login</title></head><body>
{{if .Result}}<h1>Вы вошли</h1><pre id="result">{{.Result}}</pre><p><a href="/login">Войти снова</a></p>
{{else if .Error}}<h1>Ошибка</h1><p id="error">{{.Error}}</p><p><a href="/login">Попробовать снова</a></p>
{{else}}<h1>esia-login</h1><p><a id="login" href="/login">Войти через Госуслуги</a></p>{{end}}
</body></html>
`))

func (a *app) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = page.Execute(w, nil)
}

// login starts the authorization: a fresh state in an HttpOnly cookie and a
// redirect to ESIA.
func (a *app) login(w http.ResponseWriter, r *http.Request) {
	state := esia.NewState()
	u, err := a.esia.AuthCodeURL(r.Context(), state)
	if err != nil {
		a.fail(w, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "esia_state", Value: state, Path: "/callback", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: 600})
	http.Redirect(w, r, u, http.StatusFound)
}

// callback checks the state, exchanges the code, verifies the tokens and
// reads the user's roles and groups.
func (a *app) callback(w http.ResponseWriter, r *http.Request) {
	ck, err := r.Cookie("esia_state")
	if err != nil {
		a.fail(w, errors.New("no login in progress (state cookie missing)"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "esia_state", Path: "/callback", MaxAge: -1})
	code, err := esia.ParseCallback(r, ck.Value)
	if err != nil {
		a.fail(w, err)
		return
	}
	ctx := r.Context()
	tok, err := a.esia.Exchange(ctx, code)
	if err != nil {
		a.fail(w, err)
		return
	}
	claims, idc, err := a.esia.VerifyToken(tok)
	if err != nil {
		a.fail(w, err)
		return
	}
	res := &result{PersonOID: claims.SbjID}
	if idc != nil && idc.Sbj.OID != 0 && idc.Sbj.OID != claims.SbjID {
		a.fail(w, errors.New("id token and access token name different users"))
		return
	}
	ts := oauth2.StaticTokenSource(tok)
	if p, err := a.esia.Person(ctx, ts, claims.SbjID); err == nil {
		res.Name = strings.TrimSpace(p.LastName + " " + p.FirstName + " " + p.MiddleName)
	}
	res.Roles, err = a.esia.Roles(ctx, ts, claims.SbjID)
	if err != nil {
		a.fail(w, err)
		return
	}
	// The organisation chosen on ESIA's picker is the one the org scopes
	// were granted for.
	var org int64
	for _, s := range claims.Scope {
		if s.OrgOID != 0 {
			org = s.OrgOID
			break
		}
	}
	if org != 0 {
		res.Authority, err = a.esia.Authority(ctx, ts, org, esia.AuthorityGroups())
		if err != nil && !errors.Is(err, esia.ErrNotAuthorized) {
			a.fail(w, err)
			return
		}
		if res.Authority != nil {
			res.Org = res.Authority.Organization
		} else if o, oerr := a.esia.Organization(ctx, ts, org); oerr == nil {
			res.Org = o
		}
	}
	select {
	case a.results <- res:
	default:
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = page.Execute(w, map[string]any{"Result": res.String()})
}

func (a *app) fail(w http.ResponseWriter, err error) {
	select {
	case a.errs <- err:
	default:
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_ = page.Execute(w, map[string]any{"Error": err.Error()})
}

var hiddenRe = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)
var radioRe = regexp.MustCompile(`<input type="radio" name="org" value="([0-9]+)"`)

// browse walks the flow as a browser would: open the app, follow the
// redirect to ESIA's login page, submit the form, submit the organisation
// picker, follow the redirect back to the app's callback.
func browse(ctx context.Context, sb *mock.Sandbox, appURL, login, password, appHost string, out io.Writer) error {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return err
	}
	hc := sb.HTTPClient(appHost)
	hc.Jar = jar
	get := func(u string) (*http.Response, string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, "", err
		}
		return doPage(hc, req)
	}
	post := func(u string, f url.Values) (*http.Response, string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(f.Encode()))
		if err != nil {
			return nil, "", err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return doPage(hc, req)
	}
	resp, body, err := get(appURL + "/login")
	if err != nil {
		return err
	}
	form, action, err := formOf(resp, body)
	if err != nil {
		return fmt.Errorf("ESIA login page: %w", err)
	}
	fmt.Fprintf(out, "1. GET %s/login redirected to ESIA's login page %s\n", appURL, resp.Request.URL.Path)
	fmt.Fprintf(out, "2. submitting the login form as %s\n", login)
	form.Set("login", login)
	form.Set("password", password)
	resp, body, err = post(action, form)
	if err != nil {
		return err
	}
	if strings.Contains(body, `name="password"`) {
		return errors.New("ESIA refused the login and password")
	}
	if strings.Contains(body, `name="org"`) {
		form, action, err = formOf(resp, body)
		if err != nil {
			return fmt.Errorf("ESIA organisation picker: %w", err)
		}
		m := radioRe.FindStringSubmatch(body)
		if m == nil {
			return errors.New("ESIA organisation picker offers no organisation")
		}
		fmt.Fprintf(out, "3. ESIA's organisation picker: choosing organisation %s\n", m[1])
		form.Set("org", m[1])
		resp, body, err = post(action, form)
		if err != nil {
			return err
		}
	}
	if !strings.HasPrefix(resp.Request.URL.String(), appURL+"/callback") || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("login ended at %s with status %d: %s", resp.Request.URL.Redacted(), resp.StatusCode, errorText(body))
	}
	fmt.Fprintln(out, "4. back at /callback: code exchanged with a signed client_secret, tokens verified against ESIA's certificate")
	return nil
}

func doPage(hc *http.Client, req *http.Request) (*http.Response, string, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b), err
}

var actionRe = regexp.MustCompile(`<form method="post" action="([^"]+)">`)

// formOf extracts a page's hidden fields and the absolute form action.
func formOf(resp *http.Response, body string) (url.Values, string, error) {
	m := actionRe.FindStringSubmatch(body)
	if m == nil {
		return nil, "", fmt.Errorf("no form (status %d): %s", resp.StatusCode, errorText(body))
	}
	action, err := resp.Request.URL.Parse(m[1])
	if err != nil {
		return nil, "", err
	}
	f := url.Values{}
	for _, h := range hiddenRe.FindAllStringSubmatch(body, -1) {
		f.Set(h[1], h[2])
	}
	return f, action.String(), nil
}

var tagRe = regexp.MustCompile(`<[^>]+>`)

func errorText(body string) string {
	s := strings.Join(strings.Fields(tagRe.ReplaceAllString(body, " ")), " ")
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}
