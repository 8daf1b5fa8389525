import { Clock } from './clock';
import { Store } from './store';

interface Note {
  id: number;
  title: string;
  words: number;
  created_at: string;
  updated_at: string;
}

function notesStore() {
  const clock = new Clock();
  const store = new Store(clock);
  const notes = store.define<Note>('notes', {
    timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
    complete: (record) => ({ ...record, words: String(record.title ?? '').split(' ').length }) as Note,
  });
  return { clock, store, notes };
}

describe('Store', () => {
  it('assigns increasing ids, stamps times from the clock and completes derived fields', () => {
    const { clock, notes } = notesStore();
    const first = notes.insert({ title: 'hello world' });
    clock.advance(60_000);
    const second = notes.insert({ title: 'again' });
    expect(first).toMatchObject({ id: 1, words: 2 });
    expect(second.id).toBe(2);
    expect(Date.parse(second.created_at) - Date.parse(first.created_at)).toBeGreaterThanOrEqual(60_000);
    expect(first.updated_at).toBe(first.created_at);
  });

  it('keeps seeded ids and continues after the highest', () => {
    const { notes } = notesStore();
    notes.insert({ id: 40, title: 'seeded', created_at: '2020-01-01T00:00:00.000Z' });
    expect(notes.get(40)).toMatchObject({ created_at: '2020-01-01T00:00:00.000Z', updated_at: '2020-01-01T00:00:00.000Z' });
    expect(notes.insert({ title: 'next' }).id).toBe(41);
    expect(() => notes.insert({ id: 40, title: 'twice' })).toThrow('notes 40 exists already');
  });

  it('updates by merging, moving only the update time, and recomputes derived fields', () => {
    const { clock, notes } = notesStore();
    const note = notes.insert({ title: 'one' });
    clock.advance(1000);
    const updated = notes.update(note.id, { title: 'one two three' });
    expect(updated).toMatchObject({ id: note.id, words: 3, created_at: note.created_at });
    expect(updated!.updated_at > note.updated_at).toBe(true);
    expect(notes.update(99, { title: 'x' })).toBeUndefined();
  });

  it('hands out copies, so callers cannot change stored records behind its back', () => {
    const { notes } = notesStore();
    const note = notes.insert({ title: 'original' });
    note.title = 'changed';
    notes.all()[0].title = 'changed too';
    expect(notes.get(1)!.title).toBe('original');
  });

  it('generates vendor id formats and lists, filters, removes and clears', () => {
    const store = new Store(new Clock());
    const items = store.define<{ id: string; n: number }>('items', { ids: (n) => `item-${n}` });
    items.insert({ n: 1 });
    items.insert({ id: 'item-2', n: 2 });
    expect(items.insert({ n: 3 }).id).toBe('item-3');
    expect(items.filter((item) => item.n > 1).map((item) => item.id)).toEqual(['item-2', 'item-3']);
    expect(items.find((item) => item.n === 2)?.id).toBe('item-2');
    expect(items.count((item) => item.n > 1)).toBe(2);
    const [viewed] = items.view((item) => item.n === 1);
    items.update('item-1', { n: 10 });
    expect(viewed).toEqual({ id: 'item-1', n: 1 });
    expect(items.remove('item-2')).toBe(true);
    expect(store.snapshot()).toEqual({ items: [{ id: 'item-1', n: 10 }, { id: 'item-3', n: 3 }] });
    store.clear();
    expect(items.size).toBe(0);
    expect(items.insert({ n: 4 }).id).toBe('item-1');
  });

  it('finds records by an index kept through inserts, updates, removals and clears', () => {
    const store = new Store(new Clock());
    const contacts = store.define<{ id: number; email: string; name: string }>('contacts', {
      indexes: { email: (contact) => contact.email.toLowerCase() },
    });
    contacts.insert({ email: 'Ann@example.com', name: 'Ann' });
    contacts.insert({ email: 'bob@example.com', name: 'Bob' });
    contacts.insert({ email: 'ann@example.com', name: 'Ann again' });

    expect(contacts.where('email', 'ann@example.com').map((contact) => contact.name)).toEqual(['Ann', 'Ann again']);
    contacts.update(1, { email: 'ann@elsewhere.com' });
    contacts.update(2, { name: 'Robert' });
    expect(contacts.where('email', 'ann@example.com').map((contact) => contact.id)).toEqual([3]);
    expect(contacts.where('email', 'ann@elsewhere.com').map((contact) => contact.id)).toEqual([1]);
    expect(contacts.where('email', 'bob@example.com')).toEqual([{ id: 2, email: 'bob@example.com', name: 'Robert' }]);
    contacts.remove(3);
    expect(contacts.where('email', 'ann@example.com')).toEqual([]);
    store.clear();
    expect(contacts.where('email', 'ann@elsewhere.com')).toEqual([]);
    expect(() => contacts.where('name', 'Ann')).toThrow('contacts has no index name');
  });
});
