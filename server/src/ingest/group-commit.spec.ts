import { describe, expect, it } from '@jest/globals';
import { GroupCommitWriter, type StoreOutcome, type Submission } from './group-commit.js';

const ev = (eventId: string, sourceId = 'k1', fingerprint = eventId): Submission => ({ eventId, sourceId, fingerprint });
const dataError = () => Object.assign(new Error('value out of range'), { code: '22008' });

/** A store that keeps what it is given in one commit, refusing any commit that holds a poison event. */
function store(poison: Set<string>, down = false) {
  const commits: string[][] = [];
  const kept = new Set<string>();
  const fn = async (events: readonly Submission[]): Promise<Map<string, StoreOutcome>> => {
    await new Promise((r) => setTimeout(r, 5));
    if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    commits.push(events.map((e) => e.eventId));
    if (events.some((e) => poison.has(e.eventId))) throw dataError();
    const out = new Map<string, StoreOutcome>();
    for (const e of events) {
      out.set(e.eventId, kept.has(e.eventId) ? { status: 'duplicate' } : { status: 'accepted', position: kept.size + 1 });
      kept.add(e.eventId);
    }
    return out;
  };
  return { fn, commits, kept };
}

describe('GroupCommitWriter', () => {
  it('merges batches that arrive while a commit runs', async () => {
    const s = store(new Set());
    const w = new GroupCommitWriter(s.fn);
    await Promise.all([w.submit([ev('a')]), w.submit([ev('b')]), w.submit([ev('c')])]);
    expect(s.commits).toEqual([['a'], ['b', 'c']]);
  });

  it('a poison event fails neither the other request of its group nor its own good events', async () => {
    const s = store(new Set(['p']));
    const w = new GroupCommitWriter(s.fn);
    const first = w.submit([ev('x')]);
    const [innocent, mixed] = await Promise.all([w.submit([ev('i1'), ev('i2')]), w.submit([ev('m1'), ev('p'), ev('m2'), ev('m3')])]);
    await first;
    expect([...innocent.values()].map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(Object.fromEntries([...mixed].map(([k, o]) => [k, o.status]))).toEqual({ m1: 'accepted', p: 'rejected', m2: 'accepted', m3: 'accepted' });
    expect(mixed.get('p')).toMatchObject({ reason: expect.stringContaining('value out of range') });
    expect([...s.kept].sort()).toEqual(['i1', 'i2', 'm1', 'm2', 'm3', 'x']);
  });

  it('a database that is down fails every request of the group: nothing is acknowledged', async () => {
    const s = store(new Set(), true);
    const w = new GroupCommitWriter(s.fn);
    const results = await Promise.allSettled([w.submit([ev('a')]), w.submit([ev('b')])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('one eventId from two requests of one group: the second is a duplicate if it is the same event, else a conflict', async () => {
    const s = store(new Set());
    const w = new GroupCommitWriter(s.fn);
    const first = w.submit([ev('x')]);
    const [a, same, other, foreign] = await Promise.all([w.submit([ev('e', 'k1', 'A')]), w.submit([ev('e', 'k1', 'A')]), w.submit([ev('e', 'k1', 'B')]), w.submit([ev('e', 'k2', 'A')])]);
    await first;
    expect([a.get('e')!.status, same.get('e')!.status, other.get('e')!.status, foreign.get('e')!.status]).toEqual(['accepted', 'duplicate', 'conflict', 'conflict']);
  });
});
