package pos

import (
	"context"
	"errors"
	"regexp"
	"strconv"

	"github.com/gospubliki/gosdk/ok"
	"github.com/gospubliki/gosdk/vk"
)

// VKMenus reads VK community menus with groups.getById fields=menu through
// a [vk.Client]: GetGroups batches the ids ([vk.MaxGroupIDs] a call, or
// fewer calls with the client's execute batching) and paces them through
// the client's limiter.
type VKMenus struct {
	Client *vk.Client
}

// ReadMenus implements [MenuReader].
func (r VKMenus) ReadMenus(ctx context.Context, ids []int64) (map[int64][]PageItem, error) {
	gs, err := r.Client.GetGroups(ctx, ids)
	var ve *vk.Error
	if errors.As(err, &ve) && ve.Code == 100 {
		// VK answers error 100 when none of the ids is a community.
		return map[int64][]PageItem{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]PageItem, len(gs))
	for _, g := range gs {
		if g.Deactivated != "" {
			continue
		}
		items := []PageItem{}
		if g.Menu != nil {
			for _, it := range g.Menu.Items {
				items = append(items, PageItem{Title: it.Title, URL: it.URL})
			}
		}
		out[g.ID] = items
	}
	return out, nil
}

// OKLinks reads what OK exposes of a group's POS placement through an
// [ok.Client]. OK has no community menu and no API that reads one; a group
// shows the forms as links in its description (group.getInfo
// description), one group.getInfo per 100 groups paced by the client's
// limiter. The items are the POS links of the description in order, with
// no title (OK gives links no separate title, so the audit checks no
// titles on OK).
type OKLinks struct {
	Client *ok.Client
	// Forms recognises the POS links (its BaseURL).
	Forms Forms
}

var urlRe = regexp.MustCompile(`https?://[^\s<>"']+`)

// ReadMenus implements [MenuReader].
func (r OKLinks) ReadMenus(ctx context.Context, ids []int64) (map[int64][]PageItem, error) {
	out := make(map[int64][]PageItem, len(ids))
	base := r.Forms.base()
	for start := 0; start < len(ids); start += 100 {
		chunk := ids[start:min(start+100, len(ids))]
		sids := make([]string, len(chunk))
		for i, id := range chunk {
			sids[i] = strconv.FormatInt(id, 10)
		}
		gs, err := r.Client.GetGroupInfo(ctx, &ok.GetGroupInfoRequest{GroupIDs: sids, Fields: []string{"uid", "description"}})
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			id, err := strconv.ParseInt(string(g.UID), 10, 64)
			if err != nil {
				continue
			}
			items := []PageItem{}
			for _, u := range urlRe.FindAllString(g.Description, -1) {
				if len(u) >= len(base) && u[:len(base)] == base {
					items = append(items, PageItem{URL: u})
				}
			}
			out[id] = items
		}
	}
	return out, nil
}
