package vk

// kindSet is a set of token kinds.
type kindSet uint8

const (
	kUser      kindSet = 1 << UserToken
	kCommunity kindSet = 1 << CommunityToken
	kService   kindSet = 1 << ServiceToken
)

func (s kindSet) has(k TokenKind) bool { return s&(1<<k) != 0 }

func (s kindSet) list() []TokenKind {
	var out []TokenKind
	for _, k := range []TokenKind{UserToken, CommunityToken, ServiceToken} {
		if s.has(k) {
			out = append(out, k)
		}
	}
	return out
}

// methodInfo is what the client knows of a method: the token kinds VK
// accepts (vk-api-schema access_token_type) and whether it only reads.
type methodInfo struct {
	kinds kindSet
	read  bool
}

// methodTable lists the methods the package calls. Methods outside it are
// sent as they are (Client.Call) without a token-kind check.
var methodTable = map[string]methodInfo{
	"groups.getById":                     {kUser | kCommunity | kService, true},
	"groups.getMembers":                  {kUser | kCommunity | kService, true},
	"utils.resolveScreenName":            {kUser | kCommunity | kService, true},
	"groups.getSettings":                 {kUser, true},
	"groups.edit":                        {kUser | kCommunity, false},
	"groups.addLink":                     {kUser, false},
	"groups.editLink":                    {kUser, false},
	"groups.deleteLink":                  {kUser, false},
	"groups.reorderLink":                 {kUser, false},
	"groups.getLongPollServer":           {kUser | kCommunity, true},
	"groups.setLongPollSettings":         {kUser | kCommunity, false},
	"groups.addCallbackServer":           {kUser | kCommunity, false},
	"groups.getCallbackServers":          {kUser | kCommunity, true},
	"groups.setCallbackSettings":         {kUser | kCommunity, false},
	"groups.getCallbackConfirmationCode": {kUser | kCommunity, true},
	"wall.post":                          {kUser, false},
	"wall.edit":                          {kUser, false},
	"wall.delete":                        {kUser, false},
	"wall.get":                           {kUser | kService, true},
	"wall.getById":                       {kUser | kService, true},
	"wall.createComment":                 {kUser, false},
	"messages.send":                      {kUser | kCommunity, false},
	"photos.getWallUploadServer":         {kUser, true},
	"photos.saveWallPhoto":               {kUser, false},
	"video.save":                         {kUser, false},
	"polls.create":                       {kUser, false},
	"stats.get":                          {kUser, true},
	"stats.getPostReach":                 {kUser, true},
	"execute":                            {kUser | kCommunity, false},
}

// Allows reports whether VK accepts a token of kind for method. Methods
// the package does not know are reported as allowed.
func Allows(method string, kind TokenKind) bool {
	info, ok := methodTable[method]
	return !ok || info.kinds.has(kind)
}
