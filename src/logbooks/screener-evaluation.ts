import { FindingKind, isRefusal, screen } from 'src/logbooks/screener';

/** One sentence of the labelled set (`test/fixtures/screener-sentences.json`). */
export interface LabelledSentence {
  text: string;
  identifiers: Array<{ kind: FindingKind; match: string }>;
}

export interface KindScore {
  kind: FindingKind;
  labelled: number;
  found: number;
  truePositives: number;
  precision: number;
  recall: number;
}

export interface ScreenerScore {
  kinds: KindScore[];
  /** Ordinary sentences (no identifiers) that the screener would refuse. */
  falseRefusals: Array<{ text: string; found: string[] }>;
  /** Labelled identifiers the screener missed, for looking into. */
  missed: Array<{ kind: FindingKind; match: string; text: string }>;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

/** Precision and recall per kind: a finding counts when it overlaps a labelled identifier of its kind. */
export function scoreScreener(sentences: LabelledSentence[]): ScreenerScore {
  const tally = new Map<
    FindingKind,
    { labelled: number; found: number; truePositives: number; caught: number }
  >();
  const count = (kind: FindingKind) => {
    if (!tally.has(kind)) tally.set(kind, { labelled: 0, found: 0, truePositives: 0, caught: 0 });
    return tally.get(kind)!;
  };
  const falseRefusals: ScreenerScore['falseRefusals'] = [];
  const missed: ScreenerScore['missed'] = [];
  for (const sentence of sentences) {
    const findings = screen(sentence.text);
    const labels = sentence.identifiers.map((identifier) => {
      const start = sentence.text.indexOf(identifier.match);
      return { ...identifier, start, end: start + identifier.match.length };
    });
    for (const finding of findings) {
      count(finding.kind).found += 1;
      if (labels.some((label) => label.kind === finding.kind && overlaps(label, finding)))
        count(finding.kind).truePositives += 1;
    }
    for (const label of labels) {
      count(label.kind).labelled += 1;
      if (findings.some((finding) => finding.kind === label.kind && overlaps(label, finding)))
        count(label.kind).caught += 1;
      else missed.push({ kind: label.kind, match: label.match, text: sentence.text });
    }
    const refused = findings.filter(isRefusal);
    if (labels.length === 0 && refused.length > 0)
      falseRefusals.push({ text: sentence.text, found: refused.map((f) => `${f.kind}: ${f.text}`) });
  }
  const kinds = [...tally].map(([kind, t]) => ({
    kind,
    labelled: t.labelled,
    found: t.found,
    truePositives: t.truePositives,
    precision: t.found ? t.truePositives / t.found : 1,
    recall: t.labelled ? t.caught / t.labelled : 1,
  }));
  return { kinds, falseRefusals, missed };
}
