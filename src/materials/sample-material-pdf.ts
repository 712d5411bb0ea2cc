import { PageSizes, PDFDocument, PDFFont, PDFPage, rgb, StandardFonts } from 'pdf-lib';

export interface SampleMaterial {
  title: string;
  code: string;
  editionLabel: string;
  pages: number;
}

// Invented wording only: the demo and the tests must never carry text from a licensed manual.
const TOPICS = [
  'Getting started',
  'Listening and attending',
  'Working alongside families',
  'Exploring concerns together',
  'Agreeing what matters',
  'Planning next steps',
  'Putting plans into practice',
  'Looking back on progress',
  'Closing a piece of work',
  'Reflective practice',
  'Supervision and support',
  'Keeping records',
];

const SENTENCES = [
  'Sample page {page} of the {title}: this demonstration text stands in for the licensed content that a real edition carries here.',
  'A trainee opening this page in a live edition would read about {topic}; the words printed here are made up for demonstrations and tests.',
  'Nothing on this page is quoted from a published manual, and none of it is guidance to follow in practice.',
  'The paragraph is here so that the page looks and weighs about as much as a page of a real handbook, with lines that wrap and a footer that counts.',
  'Facilitators can use this copy to try downloading, stamping and printing without handling the licensed text itself.',
  'Each personalised copy carries its holder’s name in the margin, so this sample also shows where that line sits against the body text.',
  'In a real edition this part of {topic} might end with questions for the reader; in the sample a short note takes their place.',
  'Page {page} repeats no earlier page word for word, which keeps the sample closer to a real document when it is compressed.',
  'Readers of the demonstration site may skim this paragraph: it exists to fill the page, not to teach anything.',
  'Where a real chapter would cite a study or a case, the sample names none and invents none.',
  'The layout follows a plain house style: a heading, a few paragraphs of body text and the page number at the foot.',
  'Trainers preparing a cohort can print this sample to check margins and binding before the licensed edition is issued.',
  'The licensing rules still apply in the demo: copies are counted, and each one records who received it and when.',
  'This sentence and its neighbours are arranged differently on every page, so no two pages of the sample read alike.',
  'A printed copy of page {page} should show the same line breaks as the screen, which makes layout faults easy to spot.',
  'If a reader reports a problem with {topic} in the demo, the fault lies with the sample, not with the licensed manual.',
];

const MARGIN = 72;
const BODY_SIZE = 11;
const LINE_HEIGHT = 15;
const GREY = rgb(0.35, 0.35, 0.35);

/**
 * A handbook-like PDF of `pages` A4 pages in Helvetica: a title page, then sections of placeholder text with a
 * numbered footer. For the demo seed, tests and benchmarks, in place of a licensed manual.
 */
export async function generateSampleMaterialPdf(material: SampleMaterial): Promise<Uint8Array> {
  const { title, code, editionLabel, pages } = material;
  if (!Number.isInteger(pages) || pages < 1)
    throw new RangeError(`A sample needs a whole number of pages, not ${pages}`);
  const document = await PDFDocument.create();
  document.setTitle(`${title} (${editionLabel})`);
  document.setSubject('Sample material for demonstrations and tests; not the licensed text');
  document.setCreator('FPM Training Platform');
  const fonts = {
    regular: await document.embedFont(StandardFonts.Helvetica),
    bold: await document.embedFont(StandardFonts.HelveticaBold),
  };

  const cover = document.addPage(PageSizes.A4);
  const { height } = cover.getSize();
  cover.drawText(code, { x: MARGIN, y: height - 160, size: 14, font: fonts.bold, color: GREY });
  const titleLines = wrap(title, fonts.bold, 28, cover.getWidth() - 2 * MARGIN);
  cover.drawText(titleLines.join('\n'), {
    x: MARGIN,
    y: height - 210,
    size: 28,
    lineHeight: 34,
    font: fonts.bold,
  });
  const below = height - 210 - titleLines.length * 34 - 20;
  cover.drawText(editionLabel, { x: MARGIN, y: below, size: 16, font: fonts.regular });
  cover.drawText('Sample material: the text inside stands in for the licensed edition.', {
    x: MARGIN,
    y: below - 40,
    size: BODY_SIZE,
    font: fonts.regular,
    color: GREY,
  });
  drawFooter(cover, material, 1, fonts.regular);

  for (let page = 2; page <= pages; page++) {
    const topic = TOPICS[(page - 2) % TOPICS.length];
    const sheet = document.addPage(PageSizes.A4);
    sheet.drawText(`Section ${page - 1}: ${topic}`, {
      x: MARGIN,
      y: height - MARGIN,
      size: 18,
      font: fonts.bold,
    });
    let y = height - MARGIN - 40;
    for (let paragraph = 0; paragraph < 3 + (page % 2); paragraph++) {
      const text = paragraphText(page, paragraph, { title, topic: topic.toLowerCase() });
      const lines = wrap(text, fonts.regular, BODY_SIZE, sheet.getWidth() - 2 * MARGIN);
      sheet.drawText(lines.join('\n'), {
        x: MARGIN,
        y,
        size: BODY_SIZE,
        lineHeight: LINE_HEIGHT,
        font: fonts.regular,
      });
      y -= lines.length * LINE_HEIGHT + 12;
    }
    drawFooter(sheet, material, page, fonts.regular);
  }
  return document.save();
}

// Three or four sentences a paragraph, picked by page and paragraph so that pages differ without randomness and
// no sentence comes twice on a page (3 steps through 16 sentences visit all of them before repeating).
function paragraphText(page: number, paragraph: number, fill: { title: string; topic: string }): string {
  const count = 3 + ((page + paragraph) % 2);
  const sentences: string[] = [];
  for (let index = 0; index < count; index++) {
    const template = SENTENCES[(page * 5 + (paragraph * 4 + index) * 3) % SENTENCES.length];
    sentences.push(
      template.replace('{page}', String(page)).replace('{title}', fill.title).replace('{topic}', fill.topic),
    );
  }
  return sentences.join(' ');
}

// Words are measured one at a time: measuring the whole line again for every word made 300 pages take seconds.
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const space = font.widthOfTextAtSize(' ', size);
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const word of text.split(' ')) {
    const wordWidth = font.widthOfTextAtSize(word, size);
    if (line && lineWidth + space + wordWidth > width) {
      lines.push(line);
      line = '';
    }
    lineWidth = line ? lineWidth + space + wordWidth : wordWidth;
    line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function drawFooter(page: PDFPage, material: SampleMaterial, number: number, font: PDFFont) {
  const size = 9;
  const y = 36;
  page.drawText(`${material.code} · ${material.editionLabel}`, { x: MARGIN, y, size, font, color: GREY });
  const label = `Page ${number} of ${material.pages}`;
  const x = page.getWidth() - MARGIN - font.widthOfTextAtSize(label, size);
  page.drawText(label, { x, y, size, font, color: GREY });
}
