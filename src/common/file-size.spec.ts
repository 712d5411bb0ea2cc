import { fileSize } from 'src/common/file-size';

describe(fileSize.name, () => {
  it.each([
    [200, '1 KB'],
    [840_000, '820 KB'],
    [1024 * 1024, '1 MB'],
    [1.5 * 1024 * 1024, '1.5 MB'],
    [200 * 1024 * 1024, '200 MB'],
  ])('shows %d bytes as %s', (bytes, text) => {
    expect(fileSize(bytes)).toBe(text);
  });
});
