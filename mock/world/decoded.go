package world

import (
	"maps"
	"slices"
)

// Decoded is the party-specific reading of a journal entry, so a test
// asserts on typed fields instead of parsing [Entry.Params]. At most one
// field is set, the one of the entry's party; an emulator that has nothing
// to add leaves them all nil. A decoded view never holds a credential.
type Decoded struct {
	// VK is set on entries of the "vk" party.
	VK *VKCall `json:"vk,omitempty"`
	// OK is set on entries of the "ok" party.
	OK *OKCall `json:"ok,omitempty"`
	// Telegram is set on entries of the "telegram" party.
	Telegram *TelegramCall `json:"telegram,omitempty"`
	// ESIA is set on entries of the "esia" party.
	ESIA *ESIACall `json:"esia,omitempty"`
	// POS is set on entries of the "pos" party.
	POS *POSCall `json:"pos,omitempty"`
	// Cabinet is set on entries of the "gospubliki" party.
	Cabinet *CabinetCall `json:"gospubliki,omitempty"`
}

// VKCall is a VK API request: the method as the client spelled it and its
// parameters, without the access token, the request signature or any other
// secret.
type VKCall struct {
	// Method is the API method ("wall.post"), or the emulator's endpoint
	// ("upload", "longpoll", "gov") for requests outside /method/.
	Method string `json:"method"`
	// Params are the request parameters, secrets removed.
	Params map[string]string `json:"params,omitempty"`
	// TokenInHeader reports that the access token came in the
	// Authorization header rather than as a parameter.
	TokenInHeader bool `json:"token_in_header,omitempty"`
}

// OKCall is an OK API request.
type OKCall struct {
	// Method is the API method as sent ("group.getInfo"), or the
	// emulator's endpoint ("oauth.token", "upload.photo", ...).
	Method string `json:"method"`
	// SignatureChecked reports that the emulator checked the request
	// signature (API methods with a known application key); SignatureValid
	// is then whether sig matched.
	SignatureChecked bool `json:"signature_checked,omitempty"`
	// SignatureValid reports whether the request's sig was valid.
	SignatureValid bool `json:"signature_valid,omitempty"`
	// Params are the request parameters, secrets (sig, session keys,
	// tokens) removed.
	Params map[string]string `json:"params,omitempty"`
}

// TelegramCall is a Bot API request.
type TelegramCall struct {
	// Method is the Bot API method as sent ("sendMessage"), or "file" for
	// a file download.
	Method string `json:"method"`
	// ChatID is the chat_id parameter ("-100123", "@channel"), or "".
	ChatID string `json:"chat_id,omitempty"`
	// Test reports a request to the test environment (/bot<token>/test/).
	Test bool `json:"test,omitempty"`
}

// ESIACall is an ESIA request.
type ESIACall struct {
	// Endpoint is the emulator's canonical method ("ac", "te", "v3/te",
	// "rs/prns", ...).
	Endpoint string `json:"endpoint"`
	// ClientID is the information system's mnemonic (public).
	ClientID string `json:"client_id,omitempty"`
	// GrantType is the token request's grant_type ("authorization_code",
	// "refresh_token", "client_credentials"), or "".
	GrantType string `json:"grant_type,omitempty"`
	// Scopes are the requested scopes, split on spaces.
	Scopes []string `json:"scopes,omitempty"`
	// SignatureChecked reports that the request carried a client
	// signature the emulator checked; SignatureValid is its verdict.
	SignatureChecked bool `json:"signature_checked,omitempty"`
	// SignatureValid reports whether the client signature was valid.
	SignatureValid bool `json:"signature_valid,omitempty"`
}

// POSCall is a request to the feedback platform.
type POSCall struct {
	// Operation is the emulator's canonical operation ("api.token",
	// "form", "appeals.list", ...).
	Operation string `json:"operation"`
	// Params are the request parameters, secrets removed.
	Params map[string]string `json:"params,omitempty"`
}

// CabinetCall is a request to the Gospubliki cabinet.
type CabinetCall struct {
	// Operation is the cabinet API's operationId ("login", "createPost").
	Operation string `json:"operation"`
}

// clone returns a deep copy of d.
func (d *Decoded) clone() *Decoded {
	if d == nil {
		return nil
	}
	out := *d
	if d.VK != nil {
		v := *d.VK
		v.Params = maps.Clone(v.Params)
		out.VK = &v
	}
	if d.OK != nil {
		v := *d.OK
		v.Params = maps.Clone(v.Params)
		out.OK = &v
	}
	if d.Telegram != nil {
		v := *d.Telegram
		out.Telegram = &v
	}
	if d.ESIA != nil {
		v := *d.ESIA
		v.Scopes = slices.Clone(v.Scopes)
		out.ESIA = &v
	}
	if d.POS != nil {
		v := *d.POS
		v.Params = maps.Clone(v.Params)
		out.POS = &v
	}
	if d.Cabinet != nil {
		v := *d.Cabinet
		out.Cabinet = &v
	}
	return &out
}
