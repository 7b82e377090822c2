package gost

// Windowed scalar multiplication with constant-time table lookups.
//
// Secret scalars are processed four bits at a time; each window selects a
// table entry by scanning the whole table with masks, so neither the
// sequence of operations nor the memory access pattern depends on the
// scalar. The complete addition formula handles the neutral element and
// doubling without branches.

const windowBits = 4

// windowTable holds 0*P, 1*P, ..., 15*P (entry 0 is the neutral element).
type windowTable [1 << windowBits]point

func (c *Curve) newWindowTable(p *point) *windowTable {
	var t windowTable
	t[0] = c.identity()
	t[1] = *p
	for j := 2; j < len(t); j++ {
		c.add(&t[j], &t[j-1], p)
	}
	return &t
}

// lookup returns t[idx] reading every entry.
func (t *windowTable) lookup(idx uint64) point {
	var r point
	for j := range t {
		// mask is all ones when j == idx.
		d := uint64(j) ^ idx
		mask := ((d | -d) >> 63) - 1
		for l := range maxLimbs {
			r.x[l] |= t[j].x[l] & mask
			r.y[l] |= t[j].y[l] & mask
			r.z[l] |= t[j].z[l] & mask
		}
	}
	return r
}

func (c *Curve) windows() int { return (c.fq.bitsN + windowBits - 1) / windowBits }

func nibble(k *elem, i int) uint64 {
	bit := i * windowBits
	return (k[bit/64] >> (bit % 64)) & (1<<windowBits - 1)
}

// baseTables returns, for every window i, the table of j * 16^i * G. It is
// built once per curve on first use (about 15 additions per window).
func (c *Curve) baseTables() []windowTable {
	c.tablesOnce.Do(func() {
		n := c.windows()
		tabs := make([]windowTable, n)
		base := c.g
		for i := range n {
			tabs[i] = *c.newWindowTable(&base)
			// next base = 16 * base = 15*base + base
			c.add(&base, &tabs[i][15], &base)
		}
		c.tables = tabs
	})
	return c.tables
}

// scalarBaseMult returns k*G for k < 2^bitlen(Q): one table lookup and one
// addition per 4-bit window, no doublings.
func (c *Curve) scalarBaseMult(k *elem) point {
	tabs := c.baseTables()
	acc := c.identity()
	for i := range tabs {
		sel := tabs[i].lookup(nibble(k, i))
		c.add(&acc, &acc, &sel)
	}
	return acc
}

// scalarMultWindow returns k*p for k < 2^bitlen(Q) with a fixed 4-bit
// window: four doublings and one addition of a constant-time lookup per
// window.
func (c *Curve) scalarMultWindow(p *point, k *elem) point {
	t := c.newWindowTable(p)
	acc := c.identity()
	for i := c.windows() - 1; i >= 0; i-- {
		for range windowBits {
			c.add(&acc, &acc, &acc)
		}
		sel := t.lookup(nibble(k, i))
		c.add(&acc, &acc, &sel)
	}
	return acc
}
