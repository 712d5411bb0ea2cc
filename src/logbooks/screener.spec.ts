import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from 'src/common/paths';
import { isNhsNumber, screen, screenFields } from 'src/logbooks/screener';
import { LabelledSentence, scoreScreener } from 'src/logbooks/screener-evaluation';

const kinds = (text: string) => screen(text).map((finding) => [finding.kind, finding.text]);

describe('identifier screener', () => {
  it('meets its targets on the labelled set: recall, and no refusal of ordinary prose', () => {
    const sentences = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'screener-sentences.json'), 'utf8'),
    ) as LabelledSentence[];
    const score = scoreScreener(sentences);
    const recall = Object.fromEntries(score.kinds.map((kind) => [kind.kind, kind.recall]));
    const belowTarget = ['nhs_number', 'email', 'phone', 'postcode'].filter((kind) => recall[kind] < 0.97);
    expect(belowTarget).toEqual([]);
    expect(recall.date_of_birth).toBeGreaterThanOrEqual(0.9);
    expect(score.falseRefusals).toEqual([]);
  });

  it('tells NHS numbers from other ten-digit numbers by the check digit', () => {
    expect(isNhsNumber('9434765919')).toBe(true);
    expect(isNhsNumber('9434765918')).toBe(false);
    expect(kinds('NHS no. 943 476 5919, invoice 943 476 5918, serial 2026-000123')).toEqual([
      ['nhs_number', '943 476 5919'],
    ]);
  });

  it('finds phone numbers in the forms people write them, and not session times or references', () => {
    expect(
      kinds('Ring +44 (0)7700 900123 or 0113 496 0000; the session ran 10:30-12:00, ref 4567 8912 33.'),
    ).toEqual([
      ['phone', '+44 (0)7700 900123'],
      ['phone', '0113 496 0000'],
    ]);
  });

  it('finds postcodes whole, and an outward code alone only where it says where someone lives', () => {
    expect(kinds('They moved to sw19 2hr last year; she lives near CR4 now.')).toEqual([
      ['postcode', 'sw19 2hr'],
      ['postcode', 'CR4'],
    ]);
    expect(kinds('We covered M1 of the handbook and vitamin B12.')).toEqual([]);
  });

  it('finds a date of birth by its cue, and leaves other dates alone', () => {
    expect(kinds('Baby (D.O.B. 3rd March 2019) was asleep. Session 4 was on 14/03/2026 at 10:30.')).toEqual([
      ['date_of_birth', '3rd March 2019'],
    ]);
    expect(kinds('She was born at 34 weeks and is now thriving.')).toEqual([]);
  });

  it('finds addresses and e-mail addresses, and warns of a likely name without refusing it', () => {
    const findings = screen('Dad, Liam, lives at 9b Station Road (liam.w@example.org).');
    expect(findings.map((f) => [f.kind, f.text, f.severity])).toEqual([
      ['name', 'Liam', 'warning'],
      ['address', '9b Station Road', 'refusal'],
      ['email', 'liam.w@example.org', 'refusal'],
    ]);
    expect(kinds('Mum (K) and the baby came to the Mum Group in Room 101 on Market Street.')).toEqual([]);
  });

  it('names the field of each finding', () => {
    expect(screenFields({ whatHappened: 'Called 07700 900461.', learning: 'Listening matters.' })).toEqual([
      expect.objectContaining({ kind: 'phone', text: '07700 900461', field: 'whatHappened' }),
    ]);
  });
});
