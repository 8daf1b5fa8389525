import { paginate } from './paginate';

describe('paginate', () => {
  it('walks pages until one has no next, yielding each page with its cursor', async () => {
    const data = ['a', 'b', 'c', 'd', 'e'];
    const seen: Array<number | undefined> = [];
    const pages = [];
    for await (const page of paginate<string, number>(async (cursor) => {
      seen.push(cursor);
      const start = cursor ?? 0;
      const next = start + 2 < data.length ? start + 2 : undefined;
      return { items: data.slice(start, start + 2), next };
    })) {
      pages.push(page);
    }
    expect(seen).toEqual([undefined, 2, 4]);
    expect(pages.map((page) => page.items)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(pages.map((page) => page.cursor)).toEqual([undefined, 2, 4]);
  });

  it('starts from the given cursor and stops fetching when the consumer stops', async () => {
    const fetched: number[] = [];
    for await (const page of paginate(async (cursor: number | undefined) => {
      fetched.push(cursor ?? -1);
      return { items: [cursor], next: (cursor ?? 0) + 1 };
    }, 1)) {
      if (page.cursor === 2) break;
    }
    expect(fetched).toEqual([1, 2]);
  });

  it('fails instead of looping forever when the next cursor does not advance', async () => {
    const walk = async () => {
      for await (const _page of paginate(async () => ({ items: [1], next: 'same' }), 'same')) {
        // consume
      }
    };
    await expect(walk()).rejects.toThrow('pagination did not advance past cursor same');
  });
});
