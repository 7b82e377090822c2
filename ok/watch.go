package ok

import (
	"context"

	"github.com/gospubliki/gosdk/social"
)

var _ social.MarkReader = (*Client)(nil)

// maxGroupInfoIDs is how many groups one group.getInfo reads.
const maxGroupInfoIDs = 100

// watchFields are the fields ReadMarks reads.
var watchFields = []string{"uid", "name", "gos_org"}

// ReadMarks implements social.MarkReader: the names and «Госорганизация»
// marks (gos_org) of the groups pageIDs, in one group.getInfo per 100
// groups. A group without gos_org in the answer has social.MarkUnknown; a
// group OK does not return is left out.
func (c *Client) ReadMarks(ctx context.Context, pageIDs []string) ([]social.MarkState, error) {
	out := make([]social.MarkState, 0, len(pageIDs))
	for start := 0; start < len(pageIDs); start += maxGroupInfoIDs {
		ids := pageIDs[start:min(start+maxGroupInfoIDs, len(pageIDs))]
		gs, err := c.GetGroupInfo(ctx, &GetGroupInfoRequest{GroupIDs: ids, Fields: watchFields})
		if err != nil {
			return nil, err
		}
		byID := make(map[ID]*Group, len(gs))
		for i := range gs {
			byID[gs[i].UID] = &gs[i]
		}
		for _, id := range ids {
			if g := byID[ID(id)]; g != nil {
				out = append(out, social.MarkState{Network: social.OK, PageID: id, Name: g.Name, Mark: g.Mark()})
			}
		}
	}
	return out, nil
}

// Mark returns the group's «Госорганизация» mark (gos_org;
// social.MarkUnknown when OK did not return it).
func (g *Group) Mark() social.Mark {
	return social.MarkOf(g.GosOrg != nil && *g.GosOrg, g.GosOrg != nil)
}

// WatchMarks returns a social.MarkWatcher of the groups on the client's
// clock (unless o.Clock is set): Check it, or Run it, to be told when a
// group loses the «Госорганизация» mark, gains it, is renamed or is gone.
func (c *Client) WatchMarks(groupIDs []string, o social.WatchOptions) *social.MarkWatcher {
	if o.Clock == nil {
		o.Clock = c.clock
	}
	return social.NewMarkWatcher(c, groupIDs, o)
}
