import { DuplicateKeyFilter, MAX_DUPLICATE_CANDIDATES } from './duplicate-key-filter';

function add(filter: DuplicateKeyFilter, key: string): boolean {
  const bytes = Buffer.from(`,${key},`);
  return filter.add(bytes, 1, bytes.length - 1);
}

describe(DuplicateKeyFilter.name, () => {
  it('should say a key is new the first time and probably seen the second time', () => {
    const filter = new DuplicateKeyFilter();

    expect(add(filter, '000123')).toBe(false);
    expect(add(filter, '123')).toBe(false);
    expect(add(filter, '000123')).toBe(true);
  });

  it('should take few distinct keys for seen ones', () => {
    const filter = new DuplicateKeyFilter();
    let falsePositives = 0;
    for (let i = 0; i < 200_000; i++) if (add(filter, String(i).padStart(10, '0'))) falsePositives++;

    expect(falsePositives).toBeLessThan(20);
  });

  it('should give up keeping candidates past the limit, so the import scans for duplicates instead', () => {
    const filter = new DuplicateKeyFilter();
    for (let i = 0; i <= MAX_DUPLICATE_CANDIDATES; i++) filter.addCandidate(String(i), i);

    expect(filter.overflow).toBe(true);
    expect(filter.candidates.size).toBe(0);
  });
});
