import { csvLine, excelCsv, spreadsheetText } from 'src/common/excel-csv';

describe('excel-csv', () => {
  it.each(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(1)', '\tcmd', '\rcmd'])(
    'prefixes %j with a quote so that a spreadsheet shows it as text',
    (value) => {
      expect(spreadsheetText(value)).toBe(`'${value}`);
    },
  );

  it.each(['Merton', 'a=b', "O'Brien", '', '<5', '2026-01-01'])('leaves %j as it is', (value) => {
    expect(spreadsheetText(value)).toBe(value);
  });

  it('neutralises formula cells in a whole CSV and quotes them as CSV requires', () => {
    const csv = excelCsv([
      ['Name', 'Count'],
      ['=HYPERLINK("http://x")', 3],
      ['@SUM(1)', -4],
    ]);
    expect(csv).toBe('\uFEFFName,Count\r\n"\'=HYPERLINK(""http://x"")",3\r\n\'@SUM(1),-4\r\n');
  });

  it('neutralises formula cells in one line and keeps numbers as numbers', () => {
    expect(csvLine(['-1', -1, '+44 20', null, 'plain'])).toBe("'-1,-1,'+44 20,,plain");
  });
});
