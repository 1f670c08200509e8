import type { EntityManager } from '@mikro-orm/postgresql';
import { TestApp, startTestApp } from '../support/app';
import { seedOrg } from '../support/seed';
import { runDeferred, ensureTransaction, isDeferred } from '../../src/db/deferred-transaction';
import { UnitOfWork } from '../../src/db/unit-of-work';
import { Organization } from '../../src/db/organization.entity';

let t: TestApp;
const statements: string[] = [];
const unit = new UnitOfWork();

beforeAll(async () => {
  t = await startTestApp(
    {},
    {
      onQuery: (line) =>
        statements.push(
          line
            .replace(/\x1b\[\d+m/g, '')
            .replace(/^\[query\]\s*/, '')
            .replace(/ \[took .*$/, ''),
        ),
    },
  );
  t.orm.em.getEventManager().registerSubscriber(unit);
  await sql('create table if not exists argus_test_deferred (n int not null check (n > 0))');
});
afterAll(async () => {
  await sql('drop table if exists argus_test_deferred');
  await t.close();
});
beforeEach(async () => {
  await sql('truncate argus_test_deferred');
  statements.length = 0;
});

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.getConnection().execute<T[]>(query, params);
const written = async () => (await sql<{ n: number }>('select n from argus_test_deferred order by n')).map((r) => r.n);
const insert = (em: EntityManager, n: number) =>
  em.getConnection().execute('insert into argus_test_deferred (n) values (?)', [n], 'run', em.getTransactionContext());

/** Schedules `n` as the last statement, `joined` written with it, and records when the after-commit work runs. */
async function scheduleInsert(em: EntityManager, n: number, joined: number, seen: string[]): Promise<void> {
  await unit.scheduleLast(em, async (writes) => {
    seen.push(`statement with ${writes.length} joined`);
    const ctes = writes.map((w, i) => `"j${i}" as (${w.sql})`);
    await em
      .getConnection()
      .execute(
        `with ${[...ctes, `"last" as (insert into argus_test_deferred (n) values (?))`].join(', ')} select 1`,
        [...writes.flatMap((w) => w.params), n],
        'all',
        em.getTransactionContext(),
      );
  });
  await unit.join(em, { sql: 'insert into argus_test_deferred (n) values (?)', params: [joined] });
  unit.afterCommit(em, () => seen.push('after commit'));
}

describe('a deferred transaction (runDeferred)', () => {
  it('that asks for no transaction: its last statement runs alone with the writes joined to it, then the after-commit work; no begin, no commit', async () => {
    const seen: string[] = [];
    await runDeferred(t.orm.em.fork() as EntityManager, async (em) => {
      expect(isDeferred(em)).toBe(true);
      await scheduleInsert(em, 2, 1, seen);
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['statement with 1 joined', 'after commit']);
    expect(await written()).toEqual([1, 2]);
    expect(statements).not.toContain('begin');
    expect(statements).not.toContain('commit');
  });

  it('whose statement fails: nothing is written, the after-commit work is dropped, the error reaches the caller', async () => {
    const seen: string[] = [];
    await expect(
      runDeferred(t.orm.em.fork() as EntityManager, (em) => scheduleInsert(em, -1, 1, seen)),
    ).rejects.toThrow(/argus_test_deferred_n_check/);
    expect(seen).toEqual(['statement with 1 joined']);
    expect(await written()).toEqual([]);
  });

  it('that asks for a transaction: begins then, nested transactional calls join it, and its commit runs the last statement', async () => {
    const seen: string[] = [];
    await runDeferred(t.orm.em.fork() as EntityManager, async (em) => {
      await sql('select 1');
      await em.transactional(async (inner) => {
        expect(inner).toBe(em);
        await insert(inner as EntityManager, 3);
        await (inner as EntityManager).transactional((nested) => insert(nested as EntityManager, 4));
      });
      await ensureTransaction(em);
      await scheduleInsert(em, 6, 5, seen);
    });
    const run = [...statements];
    expect(seen).toEqual(['statement with 1 joined', 'after commit']);
    expect(await written()).toEqual([3, 4, 5, 6]);
    const begin = run.indexOf('begin');
    expect(run.slice(begin + 1, begin + 3).every((s) => s.startsWith('insert into argus_test_deferred'))).toBe(true);
    expect(run[run.length - 1]).toBe('commit');
  });

  it('that asked for a transaction and then fails: everything in it is rolled back', async () => {
    const seen: string[] = [];
    await expect(
      runDeferred(t.orm.em.fork() as EntityManager, async (em) => {
        await ensureTransaction(em);
        await insert(em, 7);
        await scheduleInsert(em, 8, 9, seen);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(statements[statements.length - 1]).toBe('rollback');
    expect(seen).toEqual([]);
    expect(await written()).toEqual([]);
  });

  it('begins at a flush, which then commits with the last statement', async () => {
    const org = await seedOrg(t.url);
    const seen: string[] = [];
    const [organization] = await sql<{ id: string }>(
      'select o.id from organizations o join users u on u.organization_id = o.id where u.id = ?',
      [org.owner.id],
    );
    statements.length = 0;
    await runDeferred(t.orm.em.fork() as EntityManager, async (em) => {
      const loaded = await em.findOneOrFail(Organization, organization.id);
      loaded.name = 'renamed by a flush';
      await em.flush();
      await scheduleInsert(em, 14, 15, seen);
    });
    const run = [...statements];
    expect(seen).toEqual(['statement with 1 joined', 'after commit']);
    expect(run.indexOf('begin')).toBeGreaterThan(-1);
    expect(run.indexOf('begin')).toBeLessThan(run.findIndex((s) => s.startsWith('update "organizations"')));
    expect(run[run.length - 1]).toBe('commit');
    expect(await written()).toEqual([14, 15]);
    expect((await sql('select name from organizations where id = ?', [organization.id]))[0].name).toBe(
      'renamed by a flush',
    );
  });

  it('refuses to end with changes no statement writes, before anything is written', async () => {
    const org = await seedOrg(t.url);
    const seen: string[] = [];
    const [organization] = await sql<{ id: string; name: string }>(
      'select o.id, o.name from organizations o join users u on u.organization_id = o.id where u.id = ?',
      [org.owner.id],
    );
    await expect(
      runDeferred(t.orm.em.fork() as EntityManager, async (em) => {
        const loaded = await em.findOneOrFail(Organization, organization.id);
        loaded.name = 'renamed without a statement';
        await scheduleInsert(em, 10, 11, seen);
      }),
    ).rejects.toThrow(/changes that no statement writes/);
    expect(seen).toEqual([]);
    expect(await written()).toEqual([]);
    expect((await sql('select name from organizations where id = ?', [organization.id]))[0].name).toBe(
      organization.name,
    );
  });

  it('cannot begin once commit-time work was scheduled outside a transaction', async () => {
    const seen: string[] = [];
    await expect(
      runDeferred(t.orm.em.fork() as EntityManager, async (em) => {
        await scheduleInsert(em, 12, 13, seen);
        await ensureTransaction(em);
      }),
    ).rejects.toThrow(/must begin before commit-time work is scheduled/);
    expect(seen).toEqual([]);
    expect(await written()).toEqual([]);
  });
});

describe('the unit of work at a transaction’s end', () => {
  /** A participant that writes what it collected before the commit, as the similar-index versions do. */
  const participant = {};
  const collect = (em: EntityManager, n: number, seen: string[]) => {
    const pending = unit.participate(
      em,
      participant,
      () => [] as number[],
      async (tem, values) => {
        seen.push(`participant writes ${values.join(',') || 'nothing'}`);
        for (const v of values) await insert(tem, v);
      },
    );
    if (pending) pending.push(n);
    return pending;
  };

  it('runs the last statement, then each participant’s work, then after the commit the in-memory work', async () => {
    const seen: string[] = [];
    await t.orm.em.fork().transactional(async (em) => {
      unit.afterCommit(em as EntityManager, () => seen.push('after commit'));
      collect(em as EntityManager, 20, seen);
      collect(em as EntityManager, 21, seen);
      await scheduleInsert(em as EntityManager, 22, 23, seen);
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['statement with 1 joined', 'participant writes 20,21', 'after commit', 'after commit']);
    expect(await written()).toEqual([20, 21, 22, 23]);
  });

  it('lets the last statement take a participant’s work over, and drops all of it on a rollback', async () => {
    const seen: string[] = [];
    await t.orm.em.fork().transactional(async (em) => {
      collect(em as EntityManager, 30, seen);
      await unit.scheduleLast(em as EntityManager, async () => {
        const taken = unit.stateOf<number[]>(em as EntityManager, participant)!.splice(0);
        seen.push(`statement takes ${taken.join(',')}`);
        for (const v of taken) await insert(em as EntityManager, v + 1);
      });
    });
    expect(seen).toEqual(['statement takes 30', 'participant writes nothing']);
    expect(await written()).toEqual([31]);

    const dropped: string[] = [];
    await expect(
      t.orm.em.fork().transactional(async (em) => {
        collect(em as EntityManager, 40, dropped);
        unit.afterCommit(em as EntityManager, () => dropped.push('after commit'));
        await insert(em as EntityManager, 41);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(dropped).toEqual([]);
    expect(await written()).toEqual([31]);
  });

  it('outside a transaction, has nothing to wait for: work runs at once', async () => {
    const seen: string[] = [];
    const em = t.orm.em.fork() as EntityManager;
    expect(collect(em, 50, seen)).toBeNull();
    unit.afterCommit(em, () => seen.push('after commit'));
    await scheduleInsert(em, 51, 52, seen);
    expect(seen).toEqual(['after commit', 'statement with 0 joined', 'after commit']);
    expect(await written()).toEqual([51, 52]);
  });
});
