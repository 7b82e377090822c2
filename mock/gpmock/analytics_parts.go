package gpmock

import "github.com/gospubliki/gosdk/social"

// reportedParts is where a post was published by the server itself: the
// pages of its publication report where it is published, wholly or
// partly, each with the network's receipt. It is the default of
// [WithPublishedParts].
func reportedParts(p Post) []PublishedPart {
	var out []PublishedPart
	for _, x := range p.Report {
		if (x.Outcome != OutcomePublished && x.Outcome != OutcomePartial) || x.NetworkPostID == "" {
			continue
		}
		rc := social.Receipt{PostID: x.NetworkPostID, URL: x.URL}
		for _, pt := range x.Parts {
			rc.Parts = append(rc.Parts, social.Part{ID: pt.ID, Kind: social.PartKind(pt.Kind), HasText: pt.HasText})
		}
		out = append(out, PublishedPart{PageRef: x.Target, Receipt: rc})
	}
	return out
}
