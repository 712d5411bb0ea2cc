import { DateTime } from 'luxon';
import type { CoverageRow } from 'src/reports/coverage-rows';
import { quarterLabel } from 'src/reports/quarters';

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!,
  );

let chartSequence = 0;

/**
 * Coverage as horizontal bars, one per row, with the figure written beside each bar: read as an image (role="img",
 * a title and a description that states every figure), and as readable in greyscale as in colour.
 */
export function coverageBarChart(title: string, rows: CoverageRow[]): string {
  const id = `chart-${++chartSequence}`;
  const labelWidth = 190;
  const barWidth = 360;
  const rowHeight = 28;
  const height = rows.length * rowHeight + 30;
  const described = rows
    .map(
      (row) =>
        `${row.name}: ${row.coveragePercent === null ? row.coverageShown : `${row.coverageShown} certified`}`,
    )
    .join('; ');
  const bars = rows
    .map((row, index) => {
      const y = index * rowHeight + 6;
      const width =
        row.coveragePercent === null ? 0 : Math.max(1, (Math.min(row.coveragePercent, 100) / 100) * barWidth);
      return (
        `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" class="app-chart__label">${escapeXml(row.name)}</text>` +
        (width > 0
          ? `<rect x="${labelWidth}" y="${y}" width="${width.toFixed(1)}" height="20" class="app-chart__bar"></rect>`
          : '') +
        `<text x="${labelWidth + width + 6}" y="${y + 15}" class="app-chart__value">${escapeXml(row.coverageShown)}</text>`
      );
    })
    .join('');
  const axisY = rows.length * rowHeight + 8;
  const ticks = [0, 25, 50, 75, 100]
    .map((tick) => {
      const x = labelWidth + (tick / 100) * barWidth;
      return `<line x1="${x}" y1="0" x2="${x}" y2="${axisY}" class="app-chart__grid"></line><text x="${x}" y="${axisY + 16}" text-anchor="middle" class="app-chart__tick">${tick}%</text>`;
    })
    .join('');
  return (
    `<svg class="app-chart" viewBox="0 0 ${labelWidth + barWidth + 80} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(described)}. The same figures are in the table below.</desc>` +
    ticks +
    bars +
    `</svg>`
  );
}

// Told apart by their dashes and markers, not by colour alone.
const SERIES_STYLES = [
  { dash: '', marker: 'circle' },
  { dash: '8 4', marker: 'square' },
  { dash: '2 3', marker: 'triangle' },
  { dash: '12 4 2 4', marker: 'diamond' },
  { dash: '4 4', marker: 'circle' },
  { dash: '1 6', marker: 'square' },
];

function marker(kind: string, x: number, y: number): string {
  switch (kind) {
    case 'square':
      return `<rect x="${x - 4}" y="${y - 4}" width="8" height="8" class="app-chart__marker"></rect>`;
    case 'triangle':
      return `<polygon points="${x},${y - 5} ${x + 5},${y + 4} ${x - 5},${y + 4}" class="app-chart__marker"></polygon>`;
    case 'diamond':
      return `<polygon points="${x},${y - 5} ${x + 5},${y} ${x},${y + 5} ${x - 5},${y}" class="app-chart__marker"></polygon>`;
    default:
      return `<circle cx="${x}" cy="${y}" r="4" class="app-chart__marker"></circle>`;
  }
}

/**
 * Practitioners certified at each quarter's end, a line per row (at most six), withheld quarters left as gaps;
 * each line has its own dash and marker and is named at its end and in the legend.
 */
export function trendChart(title: string, rows: CoverageRow[]): string {
  const id = `chart-${++chartSequence}`;
  const series = rows.slice(0, SERIES_STYLES.length);
  const quarters = series[0]?.trend.map((quarter) => quarter.quarterEnd) ?? [];
  const left = 50;
  const width = 440;
  const top = 10;
  const plotHeight = 180;
  const highest = Math.max(
    5,
    ...series.flatMap((row) => row.trend.map((quarter) => quarter.certified.count ?? 0)),
  );
  const x = (index: number) => left + (quarters.length <= 1 ? 0 : (index / (quarters.length - 1)) * width);
  const y = (value: number) => top + plotHeight - (value / highest) * plotHeight;
  const lines = series
    .map((row, at) => {
      const style = SERIES_STYLES[at];
      const segments: string[][] = [[]];
      row.trend.forEach((quarter, index) => {
        if (quarter.certified.count === null) segments.push([]);
        else segments.at(-1)!.push(`${x(index).toFixed(1)},${y(quarter.certified.count).toFixed(1)}`);
      });
      return (
        segments
          .filter((points) => points.length > 1)
          .map(
            (points) =>
              `<polyline points="${points.join(' ')}" class="app-chart__line"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}></polyline>`,
          )
          .join('') +
        row.trend
          .map((quarter, index) =>
            quarter.certified.count === null
              ? ''
              : marker(style.marker, x(index), y(quarter.certified.count)),
          )
          .join('')
      );
    })
    .join('');
  const legend = series
    .map((row, at) => {
      const style = SERIES_STYLES[at];
      const ly = top + plotHeight + 40 + at * 18;
      return (
        `<line x1="${left}" y1="${ly - 4}" x2="${left + 30}" y2="${ly - 4}" class="app-chart__line"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}></line>` +
        marker(style.marker, left + 15, ly - 4) +
        `<text x="${left + 40}" y="${ly}" class="app-chart__label">${escapeXml(`${row.name}, ${row.courseName}`)}</text>`
      );
    })
    .join('');
  const axis =
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + width}" y2="${top + plotHeight}" class="app-chart__grid"></line>` +
    `<text x="${left - 6}" y="${top + 5}" text-anchor="end" class="app-chart__tick">${highest}</text>` +
    `<text x="${left - 6}" y="${top + plotHeight}" text-anchor="end" class="app-chart__tick">0</text>` +
    quarters
      .map(
        (quarter, index) =>
          `<text x="${x(index)}" y="${top + plotHeight + 16}" text-anchor="middle" class="app-chart__tick">${escapeXml(DateTime.fromISO(quarter).toFormat('LLL yy'))}</text>`,
      )
      .join('');
  const described = series
    .map(
      (row) =>
        `${row.name}, ${row.courseName}: ${row.trend.map((quarter) => `${quarterLabel(quarter.quarterEnd)} ${quarter.certified.shown}`).join(', ')}`,
    )
    .join('; ');
  const height = top + plotHeight + 40 + series.length * 18;
  return (
    `<svg class="app-chart" viewBox="0 0 ${left + width + 40} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(described)}. The same figures are in the table below.</desc>` +
    axis +
    lines +
    legend +
    `</svg>`
  );
}
