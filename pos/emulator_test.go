package pos_test

import (
	"bytes"
	"testing"

	"github.com/gospubliki/gosdk/esia"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/pos"
)

// The export table the POS emulator writes loads with the default columns,
// and the appeal form of every organisation resolves to the LKO the
// emulator opens for it.
func TestLoadEmulatorExport(t *testing.T) {
	w, err := world.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := posmock.New(w)
	sc := world.DefaultScenario()
	if err := posmock.PutSettings(&sc, posmock.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	if err := w.Import(sc); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := srv.ExportCSV(&buf, posmock.ExportHeader{}); err != nil {
		t.Fatal(err)
	}
	ex, err := pos.LoadExport(&buf, pos.Columns{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Bad) != 0 || len(ex.Orgs) == 0 || len(ex.LKOs) == 0 {
		t.Fatalf("bad rows %v, %d orgs, %d LKOs", ex.Bad, len(ex.Orgs), len(ex.LKOs))
	}
	// The table has no agency type; take it from the world, as a caller
	// would from ESIA.
	byOGRN := map[string]world.Organization{}
	for _, o := range w.Organizations() {
		byOGRN[o.OGRN] = o
	}
	for i := range ex.Orgs {
		ex.Orgs[i].Agency = esia.AgencyType(byOGRN[ex.Orgs[i].OGRN].AgencyType)
	}
	dir, err := ex.Directory(pos.Forms{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, o := range ex.Orgs {
		want, err := srv.AppealsLKO(byOGRN[o.OGRN].OID)
		r, rerr := dir.Resolve(o.OGRN)
		if err != nil {
			continue // not connected anywhere up the chain in the emulator either
		}
		if rerr != nil && r.AppealURL == "" {
			t.Fatalf("%s: %v", o.OGRN, rerr)
		}
		if r.AppealLKO.OpaID != want.OpaID {
			t.Errorf("%s: appeal LKO %d, emulator %d", o.OGRN, r.AppealLKO.OpaID, want.OpaID)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no organisation checked")
	}
}
