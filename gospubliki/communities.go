package gospubliki

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gospubliki/gosdk/core"
)

// Networks of a connected page.
const (
	NetworkVK       = "vk"
	NetworkOK       = "ok"
	NetworkTelegram = "telegram"
)

// CommunityCredentials are what the cabinet needs to act on a page. The
// cabinet stores them encrypted and never shows them again.
type CommunityCredentials struct {
	// VKToken is a VK access token: publishing needs a user token of a
	// community administrator or editor. VKTokenKind is "user" (default)
	// or "community".
	VKToken     string `json:"vk_token,omitempty"`
	VKTokenKind string `json:"vk_token_kind,omitempty"`
	// VKCommunityToken is the community's own token (scope messages),
	// kept next to a user token: VK sends replies to community messages
	// (messages.send) only with a community token.
	VKCommunityToken string `json:"vk_community_token,omitempty"`
	// OKApplicationKey, OKApplicationSecretKey and OKAccessToken are the
	// OK application's keys and the administrator's access token;
	// OKSessionSecretKey the session secret when OK issued one.
	OKApplicationKey       string `json:"ok_application_key,omitempty"`
	OKApplicationSecretKey string `json:"ok_application_secret_key,omitempty"`
	OKAccessToken          string `json:"ok_access_token,omitempty"`
	OKSessionSecretKey     string `json:"ok_session_secret_key,omitempty"`
	// TelegramBotToken is the token of a bot administering the channel.
	TelegramBotToken string `json:"telegram_bot_token,omitempty"`
}

// String hides every credential.
func (CommunityCredentials) String() string { return "gospubliki.CommunityCredentials{…}" }

// GoString hides every credential.
func (c CommunityCredentials) GoString() string { return c.String() }

// ConnectCommunityRequest is the body of ConnectCommunity.
type ConnectCommunityRequest struct {
	// Network is NetworkVK, NetworkOK or NetworkTelegram.
	Network string `json:"network"`
	// PageID is the page's id: the community id on VK (either sign), the
	// group id on OK, the channel's chat id on Telegram.
	PageID      string               `json:"page_id"`
	Name        string               `json:"name,omitempty"`
	Credentials CommunityCredentials `json:"credentials"`
}

// Community is a page connected to the cabinet.
type Community struct {
	ID        int64  `json:"id"`
	CabinetID int64  `json:"cabinet_id"`
	Network   string `json:"network"`
	// PageID is the page's id as the network writes it ("-<group id>" on
	// VK).
	PageID string `json:"page_id"`
	// Ref is "network:page_id", what a post's targets name.
	Ref            string          `json:"ref"`
	Name           string          `json:"name,omitempty"`
	HasCredentials bool            `json:"has_credentials"`
	ConnectedAt    time.Time       `json:"connected_at"`
	ConnectedBy    int64           `json:"connected_by,omitempty"`
	Check          *CommunityCheck `json:"check,omitempty"`
}

// Gov mark states of a CommunityCheck.
const (
	GovMarkPresent       = "present"
	GovMarkAbsent        = "absent"
	GovMarkUnknown       = "unknown"
	GovMarkNotApplicable = "not_applicable"
)

// CommunityCheck is a page's «Госорганизация» status, requirement report
// and POS compliance at one reading.
type CommunityCheck struct {
	CheckedAt time.Time `json:"checked_at"`
	// GovMark is GovMarkPresent, GovMarkAbsent, GovMarkUnknown or
	// GovMarkNotApplicable (Telegram).
	GovMark      string         `json:"gov_mark"`
	Requirements []Requirement  `json:"requirements"`
	AllMet       bool           `json:"all_met"`
	POS          *POSCompliance `json:"pos,omitempty"`
	// Error and Code say why the page could not be checked.
	Error string `json:"error,omitempty"`
	Code  string `json:"code,omitempty"`
}

// Requirement is one line of a page's requirement report.
type Requirement struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Status is "met", "not_met" or "unverifiable".
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// POSCompliance is a page's POS forms audit: Status "ok", "failed" or
// "unverifiable" with the findings.
type POSCompliance struct {
	Status  string      `json:"status"`
	Reasons []POSReason `json:"reasons,omitempty"`
}

// POSReason is one finding of a POS audit.
type POSReason struct {
	Code   string `json:"code"`
	Item   int    `json:"item,omitempty"`
	Detail string `json:"detail,omitempty"`
}

func communityPath(id int64, tail string) string {
	return "/communities/" + strconv.FormatInt(id, 10) + tail
}

// Communities lists the cabinet's connected pages.
func (c *Client) Communities(ctx context.Context, opts ...core.CallOption) ([]Community, error) {
	var out struct {
		Items []Community `json:"items"`
	}
	return out.Items, c.do(ctx, "listCommunities", http.MethodGet, "/communities", nil, &out, opts)
}

// ConnectCommunity connects a page with its credentials (LKO
// administrator).
func (c *Client) ConnectCommunity(ctx context.Context, req ConnectCommunityRequest, opts ...core.CallOption) (*Community, error) {
	var out Community
	return &out, c.do(ctx, "connectCommunity", http.MethodPost, "/communities", req, &out, opts)
}

// Community returns one connected page.
func (c *Client) Community(ctx context.Context, id int64, opts ...core.CallOption) (*Community, error) {
	var out Community
	return &out, c.do(ctx, "getCommunity", http.MethodGet, communityPath(id, ""), nil, &out, opts)
}

// DisconnectCommunity removes a page and its credentials (LKO
// administrator).
func (c *Client) DisconnectCommunity(ctx context.Context, id int64, opts ...core.CallOption) error {
	return c.do(ctx, "disconnectCommunity", http.MethodDelete, communityPath(id, ""), nil, nil, opts)
}

// SetCommunityCredentials replaces a page's credentials (LKO
// administrator).
func (c *Client) SetCommunityCredentials(ctx context.Context, id int64, cr CommunityCredentials, opts ...core.CallOption) (*Community, error) {
	var out Community
	body := struct {
		Credentials CommunityCredentials `json:"credentials"`
	}{cr}
	return &out, c.do(ctx, "setCommunityCredentials", http.MethodPut, communityPath(id, "/credentials"), body, &out, opts)
}

// CheckCommunity reads the page's «Госорганизация» status, requirement
// report and POS compliance from the networks now and returns the page
// with the result.
func (c *Client) CheckCommunity(ctx context.Context, id int64, opts ...core.CallOption) (*Community, error) {
	var out Community
	return &out, c.do(ctx, "checkCommunity", http.MethodPost, communityPath(id, "/check"), nil, &out, opts)
}
