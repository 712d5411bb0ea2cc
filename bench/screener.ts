import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from 'src/common/paths';
import { screen } from 'src/logbooks/screener';
import { LabelledSentence, scoreScreener } from 'src/logbooks/screener-evaluation';
import { percentile, summary, timed } from './measure';

// The identifier screener on the labelled set in test/fixtures: precision and recall per kind, false refusals of
// ordinary prose, and how many 2,000-word entries it screens per second.
// Usage: npm run bench:screener   (VERBOSE=1 also lists what it missed)

const WORDS_PER_ENTRY = 2_000;
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 200);

async function main(): Promise<void> {
  const sentences = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'screener-sentences.json'), 'utf8'),
  ) as LabelledSentence[];
  const score = scoreScreener(sentences);
  const ordinary = sentences.filter((sentence) => sentence.identifiers.length === 0).length;
  const lines = [
    `labelled set: ${sentences.length} sentences, ${sentences.length - ordinary} with identifiers, ${ordinary} ordinary`,
    `${'kind'.padEnd(14)} ${'labelled'.padStart(8)} ${'found'.padStart(6)} ${'precision'.padStart(9)} ${'recall'.padStart(7)}`,
    ...score.kinds.map(
      (kind) =>
        `${kind.kind.padEnd(14)} ${String(kind.labelled).padStart(8)} ${String(kind.found).padStart(6)} ${kind.precision.toFixed(3).padStart(9)} ${kind.recall.toFixed(3).padStart(7)}`,
    ),
    `false refusals of ordinary sentences: ${score.falseRefusals.length} of ${ordinary}`,
  ];
  if (process.env.VERBOSE) {
    for (const refusal of score.falseRefusals)
      lines.push(`  refused: ${refusal.found.join(', ')} | ${refusal.text}`);
    for (const miss of score.missed) lines.push(`  missed ${miss.kind}: ${miss.match} | ${miss.text}`);
  }

  // Entries of 2,000 words made of the labelled sentences, identifiers and all, as a long reflection might be.
  const words = sentences
    .map((sentence) => sentence.text)
    .join(' ')
    .split(/\s+/);
  const entries = Array.from({ length: ENTRIES }, (_, i) => {
    const offset = (i * 97) % words.length;
    return Array.from({ length: WORDS_PER_ENTRY }, (_, w) => words[(offset + w) % words.length]).join(' ');
  });
  for (const entry of entries.slice(0, 10)) screen(entry);
  const times: number[] = [];
  for (const entry of entries) times.push(await timed(async () => screen(entry)));
  const total = times.reduce((sum, time) => sum + time, 0);
  lines.push(summary(`screen one ${WORDS_PER_ENTRY}-word entry`, times));
  lines.push(
    `entries screened per second (one core): ${((ENTRIES / total) * 1000).toFixed(0)}; p95 ${percentile(times, 0.95).toFixed(2)} ms`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
