import {
  AdditiveRelation,
  recoverableCells,
  shownCount,
  Suppression,
  suppress,
} from 'src/reports/suppression';

// The attacker, written apart from the module: every table in whole people that agrees with what is shown, found by
// exhaustive search. A `<t` ranges over 1..t-1, a `[c]` over 1..cap, for a cap at least the cell's true value: a
// narrower range can only make cells look more recoverable, so "none recovered" within it holds without it, and any
// other table found within it is a real one. Returns the values each withheld cell takes across those tables; it
// stops once every cell has taken two.
function consistentValues(
  values: readonly number[],
  relations: readonly AdditiveRelation[],
  shown: readonly Suppression[],
  threshold: number,
  cap: number,
): Map<number, Set<number>> {
  const seen = new Map<number, Set<number>>();
  const withheld = values.flatMap((_, cell) => (shown[cell] === null ? [] : [cell]));
  withheld.forEach((cell) => seen.set(cell, new Set()));
  const lowest = 1;
  const highest = (cell: number) => (shown[cell] === 'primary' ? threshold - 1 : cap);
  // Each relation as sum(sign * x) over its withheld cells = what its shown cells leave.
  const equations = relations.map(({ total, members }) => {
    const terms = [{ cell: total, sign: 1 }, ...members.map((cell) => ({ cell, sign: -1 }))];
    const unknown = terms.filter(({ cell }) => shown[cell] !== null);
    const known = terms
      .filter(({ cell }) => shown[cell] === null)
      .reduce((s, t) => s + t.sign * values[t.cell], 0);
    return { unknown, rest: -known };
  });
  const assigned = new Map<number, number>();
  const everyCellTwice = () => [...seen.values()].every((taken) => taken.size >= 2);
  const search = (): void => {
    if (everyCellTwice()) return;
    let forced: { cell: number; value: number } | null = null;
    for (const { unknown, rest } of equations) {
      const open = unknown.filter(({ cell }) => !assigned.has(cell));
      const needed = rest - unknown.reduce((s, t) => s + t.sign * (assigned.get(t.cell) ?? 0), 0);
      const least = open.reduce((s, t) => s + (t.sign > 0 ? lowest : -highest(t.cell)), 0);
      const most = open.reduce((s, t) => s + (t.sign > 0 ? highest(t.cell) : -lowest), 0);
      if (needed < least || needed > most) return;
      if (open.length === 1) forced = { cell: open[0].cell, value: needed * open[0].sign };
    }
    const next =
      forced ?? withheld.filter((cell) => !assigned.has(cell)).map((cell) => ({ cell, value: NaN }))[0];
    if (next === undefined) {
      assigned.forEach((value, cell) => seen.get(cell)?.add(value));
      return;
    }
    const options = Number.isNaN(next.value)
      ? Array.from({ length: highest(next.cell) }, (_, i) => i + 1)
      : [next.value].filter((value) => value >= lowest && value <= highest(next.cell));
    for (const value of options) {
      assigned.set(next.cell, value);
      search();
      assigned.delete(next.cell);
    }
  };
  search();
  return seen;
}

const recoveredByAttacker = (
  values: readonly number[],
  relations: readonly AdditiveRelation[],
  shown: readonly Suppression[],
  threshold: number,
  cap = Math.max(...values) + 1,
) =>
  [...consistentValues(values, relations, shown, threshold, cap)]
    .filter(([, taken]) => taken.size < 2)
    .map(([cell]) => cell);

// The report's table: for each slice (a course's measure, or the certified count at one quarter end), areas grouped
// into regions and England, by profession and all professions. counts[slice][area][profession] are the leaves.
function twoWayTable(counts: number[][][], regionOf: readonly number[]) {
  const areas = regionOf.length;
  const regions = Math.max(...regionOf) + 1;
  const professions = counts[0][0].length;
  const england = areas + regions;
  const places = england + 1;
  const cell = (slice: number, place: number, profession: number) =>
    (slice * places + place) * (professions + 1) + profession;
  const values = new Array<number>(counts.length * places * (professions + 1)).fill(0);
  const relations: AdditiveRelation[] = [];
  counts.forEach((slice, s) => {
    slice.forEach((row, a) =>
      row.forEach((count, p) => {
        for (const place of [a, areas + regionOf[a], england]) {
          values[cell(s, place, p)] += count;
          values[cell(s, place, professions)] += count;
        }
      }),
    );
    const professionsOf = (place: number) => row(professions).map((p) => cell(s, place, p));
    for (let place = 0; place < places; place++) {
      relations.push({ total: cell(s, place, professions), members: professionsOf(place) });
    }
    for (let p = 0; p <= professions; p++) {
      for (let r = 0; r < regions; r++) {
        const inRegion = regionOf.flatMap((region, a) => (region === r ? [cell(s, a, p)] : []));
        relations.push({ total: cell(s, areas + r, p), members: inRegion });
      }
      relations.push({ total: cell(s, england, p), members: row(regions).map((r) => cell(s, areas + r, p)) });
    }
  });
  return { values, relations };
}
const row = (length: number) => Array.from({ length }, (_, i) => i);

// A small seeded generator (mulberry32), so that the random tables are the same on every run.
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(shownCount.name, () => {
  it('shows zero and counts of the threshold or more, `<5` for a primary cell and `[c]` for a secondary one', () => {
    expect(shownCount(12, null, 5)).toBe('12');
    expect(shownCount(0, null, 5)).toBe('0');
    expect(shownCount(5, null, 5)).toBe('5');
    expect(shownCount(3, 'primary', 5)).toBe('<5');
    expect(shownCount(9, 'primary', 10)).toBe('<10');
    expect(shownCount(40, 'secondary', 5)).toBe('[c]');
    expect(shownCount(4, 'secondary', 5)).toBe('[c]');
  });

  it('refuses to show a small count, to call a count of 5 or 0 primary, or to withhold a zero', () => {
    expect(() => shownCount(3, null, 5)).toThrow('3 is below 5 and must be withheld');
    expect(() => shownCount(5, 'primary', 5)).toThrow('5 is not a count below 5');
    expect(() => shownCount(0, 'primary', 5)).toThrow('0 is not a count below 5');
    expect(() => shownCount(0, 'secondary', 5)).toThrow('A zero is shown, never withheld');
  });
});

describe(suppress.name, () => {
  it('withholds counts from 1 to 4 as primary and shows 0 and 5, and takes another threshold', () => {
    expect(suppress([0, 1, 2, 3, 4, 5, 12], [], 5)).toEqual([
      null,
      'primary',
      'primary',
      'primary',
      'primary',
      null,
      null,
    ]);
    expect(suppress([0, 1, 9, 10], [], 10)).toEqual([null, 'primary', 'primary', null]);
  });

  it('refuses a threshold below 3 (`<2` would say 1), counts that are not counts, and relations that do not add up', () => {
    expect(() => suppress([1], [], 2)).toThrow('The threshold must be a whole number of at least 3, not 2');
    expect(() => suppress([1.5], [], 5)).toThrow('Cell 0 is 1.5, not a count');
    expect(() => suppress([12, 3, 8], [{ total: 0, members: [1, 2] }], 5)).toThrow(
      'Relation 0: cell 0 is 12 but its members add up to 11',
    );
    expect(() => suppress([3, 3], [{ total: 0, members: [1, 0] }], 5)).toThrow(
      'Relation 0 names a cell twice',
    );
  });

  it('withholds a second cell of a row: 12 = 3 + 9 shows 12, `<5` and `[c]`', () => {
    // Shown: 12 = x + y, 1 <= x <= 4, y >= 1. x = 3, y = 9 and x = 4, y = 8 both fit, so neither can be worked out.
    const values = [12, 3, 9];
    const relations = [{ total: 0, members: [1, 2] }];
    const shown = suppress(values, relations, 5);
    expect(shown).toEqual([null, 'primary', 'secondary']);
    expect(shown.map((mark, cell) => shownCount(values[cell], mark, 5))).toEqual(['12', '<5', '[c]']);
    expect(recoverableCells(values, relations, shown, 5)).toEqual([]);
    expect(recoveredByAttacker(values, relations, shown, 5)).toEqual([]);
  });

  it('withholds a third cell when two `<5` beside a shown total can only be 1 each', () => {
    // 12 = x + y + 10 with x, y >= 1 gives x + y = 2, so x = y = 1: two withheld cells in a row are not enough.
    // Withholding the 10 (the cheapest count that frees them): 12 = x + y + z, and x = 2, y = 1, z = 9 fits too.
    const values = [12, 1, 1, 10];
    const relations = [{ total: 0, members: [1, 2, 3] }];
    const primaryOnly: Suppression[] = [null, 'primary', 'primary', null];
    expect(recoverableCells(values, relations, primaryOnly, 5)).toEqual([1, 2]);
    expect(recoveredByAttacker(values, relations, primaryOnly, 5)).toEqual([1, 2]);
    const shown = suppress(values, relations, 5);
    expect(shown).toEqual([null, 'primary', 'primary', 'secondary']);
    expect(recoveredByAttacker(values, relations, shown, 5)).toEqual([]);
  });

  it('shows a `<5` as `[c]` where `<5` alone would give every cell of a row away', () => {
    // Area total 4 = 1 + 1 + 1 + 1 + 0 + 0. Shown as `<5` everywhere, the total is at most 4 and each of the four
    // professions at least 1, so all are exactly 1 and the total 4. No count in the row is large enough to withhold
    // instead (the zeros are zeros), so the total is shown as `[c]`: then 5 = 2 + 1 + 1 + 1 fits as well.
    const values = [4, 1, 1, 1, 1, 0, 0];
    const relations = [{ total: 0, members: [1, 2, 3, 4, 5, 6] }];
    const allPrimary: Suppression[] = ['primary', 'primary', 'primary', 'primary', 'primary', null, null];
    expect(recoveredByAttacker(values, relations, allPrimary, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(recoverableCells(values, relations, allPrimary, 5)).toEqual([0, 1, 2, 3, 4]);
    const shown = suppress(values, relations, 5);
    expect(shown.map((mark, cell) => shownCount(values[cell], mark, 5))).toEqual([
      '[c]',
      '<5',
      '<5',
      '<5',
      '<5',
      '0',
      '0',
    ]);
    expect(recoverableCells(values, relations, shown, 5)).toEqual([]);
    expect(recoveredByAttacker(values, relations, shown, 5)).toEqual([]);
  });

  it('withholds a whole rectangle in a table with row, column and grand totals, where one more cell is not enough', () => {
    //          c1   c2 | total
    //   r1      3   10 |  13
    //   r2      8   12 |  20
    //   total  11   22 |  33
    const values = [3, 10, 13, 8, 12, 20, 11, 22, 33];
    const relations = [
      { total: 2, members: [0, 1] },
      { total: 5, members: [3, 4] },
      { total: 8, members: [6, 7] },
      { total: 6, members: [0, 3] },
      { total: 7, members: [1, 4] },
      { total: 8, members: [2, 5] },
    ];
    const mark = (withheld: number[]): Suppression[] =>
      values.map((value, cell) => (value < 5 ? 'primary' : withheld.includes(cell) ? 'secondary' : null));
    // The 10 beside the 3 in its row: the column gives 3 = 11 - 8, then 10 = 13 - 3.
    expect(recoverableCells(values, relations, mark([1]), 5)).toEqual([0, 1]);
    expect(recoveredByAttacker(values, relations, mark([1]), 5)).toEqual([0, 1]);
    // And the 8 below it: row r2 gives 8 = 20 - 12, then 3 = 11 - 8 and 10 = 13 - 3.
    expect(recoverableCells(values, relations, mark([1, 3]), 5)).toEqual([0, 1, 3]);
    expect(recoveredByAttacker(values, relations, mark([1, 3]), 5)).toEqual([0, 1, 3]);
    // The rectangle (cost 10 + 8 + 12 = 30, below any cycle through the totals): 4, 9, 7, 13 fits as well.
    const shown = suppress(values, relations, 5);
    expect(shown).toEqual(mark([1, 3, 4]));
    expect(recoverableCells(values, relations, shown, 5)).toEqual([]);
    const taken = consistentValues(values, relations, shown, 5, 40);
    expect([...taken].map(([cell, values]) => [cell, values.size >= 2])).toEqual([
      [0, true],
      [1, true],
      [3, true],
      [4, true],
    ]);
  });

  it('leaves nothing to difference across areas, regions, England, professions and quarter ends', () => {
    // Two regions of two areas, three professions (the third small everywhere), certified counts at three quarter
    // ends: slices with their own relations. Counts from 1 to 4 in areas, regions and England.
    const { values, relations } = twoWayTable(
      [
        [
          [3, 9, 1],
          [0, 7, 2],
          [6, 1, 0],
          [8, 12, 1],
        ],
        [
          [2, 9, 1],
          [0, 6, 2],
          [5, 1, 0],
          [8, 11, 0],
        ],
        [
          [1, 8, 0],
          [0, 6, 2],
          [5, 0, 0],
          [7, 10, 0],
        ],
      ],
      [0, 0, 1, 1],
    );
    // With only the 21 counts from 1 to 4 withheld, differencing gives every one of them away.
    const small = values.flatMap((value, cell) => (value >= 1 && value < 5 ? [cell] : []));
    const primaryOnly = values.map((_, cell) => (small.includes(cell) ? 'primary' : null));
    expect(small).toHaveLength(21);
    expect(recoveredByAttacker(values, relations, primaryOnly, 5)).toEqual(small);
    const shown = suppress(values, relations, 5);
    expect(recoverableCells(values, relations, shown, 5)).toEqual([]);
    expect(recoveredByAttacker(values, relations, shown, 5)).toEqual([]);
  });
});

describe('suppression on random tables', () => {
  // Areas in regions by professions, a slice or two, mostly small counts; relations and their members shuffled, so
  // that nothing depends on the order the caller lists them in.
  function randomTable(random: () => number) {
    const regionOf = row(1 + Math.floor(random() * 3)).flatMap((r) =>
      row(1 + Math.floor(random() * 3)).map(() => r),
    );
    const professions = 1 + Math.floor(random() * 3);
    const count = () => {
      const draw = random();
      return draw < 0.35 ? 0 : draw < 0.75 ? 1 + Math.floor(random() * 4) : 5 + Math.floor(random() * 11);
    };
    const slices = row(1 + Math.floor(random() * 2)).map(() =>
      regionOf.map(() => row(professions).map(count)),
    );
    const { values, relations } = twoWayTable(slices, regionOf);
    const shuffled = <T>(items: readonly T[]) =>
      items
        .map((item) => ({ item, key: random() }))
        .sort((a, b) => a.key - b.key)
        .map(({ item }) => item);
    return {
      values,
      relations: shuffled(relations.map(({ total, members }) => ({ total, members: shuffled(members) }))),
      threshold: 3 + Math.floor(random() * 3),
    };
  }

  it('leaves no cell recoverable, by the audit or the attacker, in 200 tables', () => {
    const random = seeded(20261201);
    for (let n = 0; n < 200; n++) {
      const { values, relations, threshold } = randomTable(random);
      const shown = suppress(values, relations, threshold);
      expect({ n, recoverable: recoverableCells(values, relations, shown, threshold) }).toEqual({
        n,
        recoverable: [],
      });
      expect({ n, recovered: recoveredByAttacker(values, relations, shown, threshold) }).toEqual({
        n,
        recovered: [],
      });
    }
  });

  it('names exactly the cells the attacker recovers, whatever is withheld', () => {
    const random = seeded(7);
    for (let n = 0; n < 200; n++) {
      const { values, relations, threshold } = randomTable(random);
      const shown = values.map((value) =>
        value === 0
          ? null
          : value < threshold
            ? random() < 0.1
              ? 'secondary'
              : 'primary'
            : random() < 0.3
              ? 'secondary'
              : null,
      );
      expect({ n, recoverable: recoverableCells(values, relations, shown, threshold) }).toEqual({
        n,
        recoverable: recoveredByAttacker(values, relations, shown, threshold),
      });
    }
  });
});

describe('suppression of the national table', () => {
  // 153 areas in 9 regions, 12 professions and all, 3 courses, each with certified and in-training counts and the
  // certified count at 9 quarter ends: 33 slices, 69,927 cells. Counts per area and profession are Poisson, most of
  // them small, as they will be for all but the largest professions; each quarter end back loses a twentieth.
  function nationalTable() {
    const random = seeded(11);
    const poisson = (mean: number) => {
      let k = 0;
      for (let p = random(); p > Math.exp(-mean); p *= random()) k++;
      return k;
    };
    const regionOf = row(153).map((a) => Math.floor((a * 9) / 153));
    const shares = [0.45, 0.15, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02, 0.01, 0.005, 0.005];
    const size = regionOf.map(() => Math.exp((random() - 0.5) * 1.6));
    const slices = [40, 6, 2].flatMap((people) => {
      const certified = size.map((s) => shares.map((share) => poisson(people * s * share)));
      const inTraining = size.map((s) => shares.map((share) => poisson((people / 4) * s * share)));
      const quarterEnds = [certified];
      for (let q = 1; q <= 9; q++) {
        quarterEnds.push(
          quarterEnds[q - 1].map((counts) => counts.map((n) => row(n).filter(() => random() > 0.05).length)),
        );
      }
      return [certified, inTraining, ...quarterEnds.slice(1)];
    });
    return twoWayTable(slices, regionOf);
  }

  it('suppresses the 69,927 cells within seconds and leaves none recoverable', () => {
    const { values, relations } = nationalTable();
    expect(values.length).toBe(69_927);
    const started = performance.now();
    const shown = suppress(values, relations, 5);
    const took = performance.now() - started;
    expect(recoverableCells(values, relations, shown, 5)).toEqual([]);
    // A guard against a search that grows out of hand, not a benchmark: it takes under a second.
    expect(took).toBeLessThan(5_000);
  });
});

describe('relations suppression cannot audit exactly', () => {
  it('refuses a cell in three relations none of which follows from the others, as in a three-way table', () => {
    // 6 = 1 + 5 = 2 + 4 = 3 + 3 (cells 1 to 6): with three such relations the cell 0 is no arc of a network.
    const values = [6, 1, 5, 2, 4, 3, 3];
    const relations = [
      { total: 0, members: [1, 2] },
      { total: 0, members: [3, 4] },
      { total: 0, members: [5, 6] },
    ];
    expect(() => suppress(values, relations, 5)).toThrow('Relation 2 does not follow from the others');
  });
});
