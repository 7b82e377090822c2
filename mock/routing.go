package mock

import (
	"fmt"
	"maps"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/mock/emu"
)

// realHosts maps each real host name the parties answer on to the party
// whose emulator serves it in the sandbox.
var realHosts = map[string]string{
	// VK: the API (the SDK's default is api.vk.ru; api.vk.com is the
	// historical name, still served) and OAuth.
	"api.vk.com":   "vk",
	"api.vk.ru":    "vk",
	"oauth.vk.com": "vk",
	"oauth.vk.ru":  "vk",
	// OK: the API (REST and fb.do, token exchange) and the OAuth dialog.
	"api.ok.ru":     "ok",
	"connect.ok.ru": "ok",
	// Telegram: the Bot API and its file downloads.
	"api.telegram.org": "telegram",
	// ESIA: production and the test contour.
	"esia.gosuslugi.ru":              "esia",
	"esia-portal1.test.gosuslugi.ru": "esia",
	// The feedback platform: forms, widget script, LKO API, appeals.
	"pos.gosuslugi.ru": "pos",
	// The Gospubliki cabinet, as published to organisations.
	"id-gp.gosuslugi.ru": "gospubliki",
}

// RealHosts returns the routing table of [Sandbox.RoutingTransport]: every
// real host name (without port) mapped to the party whose emulator answers
// for it.
//
//	api.vk.com, api.vk.ru, oauth.vk.com, oauth.vk.ru       vk
//	api.ok.ru, connect.ok.ru                               ok
//	api.telegram.org                                       telegram
//	esia.gosuslugi.ru, esia-portal1.test.gosuslugi.ru      esia
//	pos.gosuslugi.ru                                       pos
//	id-gp.gosuslugi.ru                                     gospubliki
func RealHosts() map[string]string { return maps.Clone(realHosts) }

// HostRefusedError is the error of [Sandbox.RoutingTransport] for a host it
// does not route: neither a real party host (see [RealHosts]) of a party
// the sandbox runs, nor one of the sandbox's own listeners. It matches
// [ErrNotSandboxHost] under errors.Is.
type HostRefusedError struct {
	// Host is the refused request's host (with its port, when it had one).
	Host string
	// Party is the party the host belongs to when the sandbox does not
	// run that party, or "".
	Party string
}

// Error names the host and why it is refused.
func (e *HostRefusedError) Error() string {
	if e.Party != "" {
		return fmt.Sprintf("mock: refusing host %q: it is %s's, and the sandbox does not run %s (fail closed)", e.Host, e.Party, e.Party)
	}
	return fmt.Sprintf("mock: refusing host %q: not a party host the sandbox emulates nor a sandbox listener (fail closed)", e.Host)
}

// Is makes the error match [ErrNotSandboxHost].
func (e *HostRefusedError) Is(target error) bool { return target == ErrNotSandboxHost }

// RoutingTransport returns an [http.RoundTripper] that sends requests for
// the real hosts of the parties ([RealHosts]; http or https, default port)
// to the sandbox's emulator of that party, keeping the method, path, query,
// headers and body; it passes requests to the sandbox's own listeners
// through (the URLs an emulator hands out, such as upload URLs) and
// refuses every other host with a [*HostRefusedError]. An application
// built with the clients' default base URLs then talks to the sandbox
// without reconfiguration:
//
//	hc := &http.Client{Transport: sb.RoutingTransport()}
//	bot, _ := telegram.New(token, core.WithHTTPClient(hc)) // https://api.telegram.org
//
// The request keeps its real Host header, so an emulator sees the host the
// client meant. A request whose context carries a tenant
// ([emu.WithTenant]) sends it as X-Mock-Tenant.
func (sb *Sandbox) RoutingTransport() http.RoundTripper {
	rt := &routing{byHost: map[string]string{}, own: map[string]bool{}, base: sb.tr}
	for host, party := range realHosts {
		if rp, ok := sb.running[party]; ok {
			rt.byHost[host] = strings.TrimPrefix(rp.url, "http://")
		}
	}
	for _, rp := range sb.running {
		rt.addOwn(rp.ln.Addr().String())
		rt.addOwn(strings.TrimPrefix(rp.url, "http://"))
	}
	rt.addOwn(sb.ctrlLn.Addr().String())
	rt.addOwn(strings.TrimPrefix(sb.ControlURL, "http://"))
	return &emu.Transport{Base: rt}
}

// RealHostClient returns an [http.Client] on [Sandbox.RoutingTransport].
func (sb *Sandbox) RealHostClient() *http.Client {
	return &http.Client{Transport: sb.RoutingTransport(), Timeout: 2 * time.Minute}
}

type routing struct {
	byHost map[string]string // real host → sandbox listener host:port
	own    map[string]bool   // the sandbox's listeners, host:port
	base   http.RoundTripper
}

func (rt *routing) addOwn(hostport string) {
	rt.own[hostport] = true
	if host, port, err := net.SplitHostPort(hostport); err == nil && (host == "127.0.0.1" || host == "::1") {
		rt.own[net.JoinHostPort("localhost", port)] = true
	}
}

// RoundTrip implements [http.RoundTripper].
func (rt *routing) RoundTrip(r *http.Request) (*http.Response, error) {
	refuse := func(party string) (*http.Response, error) {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, &HostRefusedError{Host: r.URL.Host, Party: party}
	}
	scheme := r.URL.Scheme
	if scheme != "http" && scheme != "https" {
		return refuse("")
	}
	name := strings.ToLower(strings.TrimSuffix(r.URL.Hostname(), "."))
	port := r.URL.Port()
	defPort := port == "" || (scheme == "https" && port == "443") || (scheme == "http" && port == "80")
	if target, ok := rt.byHost[name]; ok && defPort {
		r2 := r.Clone(r.Context())
		r2.URL.Scheme, r2.URL.Host = "http", target
		if r2.Host == "" {
			r2.Host = r.URL.Host
		}
		return rt.base.RoundTrip(r2)
	}
	if scheme == "http" && port != "" && rt.own[r.URL.Host] {
		return rt.base.RoundTrip(r)
	}
	if party, ok := realHosts[name]; ok && defPort {
		return refuse(party)
	}
	return refuse("")
}
