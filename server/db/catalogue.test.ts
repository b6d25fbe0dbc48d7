/**
 * The data catalogue meta-test (Foundation point 10): the live database and the catalogue in code
 * must agree column for column, and every personal column must be stored encrypted (`_enc`) or as
 * a blind index (`_bidx`), as bytea. A new column fails here until someone decides what it is.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DATA_CATALOGUE } from '../modules/catalogue.ts';
import { makeServices, type TestServices } from '../test/harness.ts';

let s: TestServices;
before(async () => {
  s = await makeServices();
});
after(() => s.close());

test('every column of every table is classified, and nothing is classified that does not exist', async () => {
  const columns = await s.db.asOwner<{ table: string; column: string; type: string }>(
    `SELECT table_name AS table, column_name AS column, data_type AS type
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const live = new Set(columns.map((c) => `${c.table}.${c.column}`));
  const unclassified = [...live].filter((tc) => {
    const [t, c] = tc.split('.') as [string, string];
    return DATA_CATALOGUE[t]?.[c] === undefined;
  });
  assert.deepEqual(
    unclassified,
    [],
    'classify these columns in the data catalogue (personal or notPersonal)',
  );
  const stale = Object.entries(DATA_CATALOGUE).flatMap(([t, cols]) =>
    Object.keys(cols)
      .map((c) => `${t}.${c}`)
      .filter((tc) => !live.has(tc)),
  );
  assert.deepEqual(stale, [], 'the catalogue names columns the database does not have');

  for (const c of columns) {
    const cls = DATA_CATALOGUE[c.table]?.[c.column];
    if (cls?.personal) {
      assert.match(
        c.column,
        /_enc$/,
        `${c.table}.${c.column} is personal data, so it must be an _enc envelope`,
      );
      assert.equal(c.type, 'bytea', `${c.table}.${c.column} must be bytea`);
    }
    if (c.column.endsWith('_bidx')) assert.equal(c.type, 'bytea', `${c.table}.${c.column} must be bytea`);
  }
});

test('the catalogue describes each personal field fully', () => {
  let personal = 0;
  for (const [table, cols] of Object.entries(DATA_CATALOGUE)) {
    for (const [column, cls] of Object.entries(cols)) {
      if (cls.personal) {
        personal++;
        assert.ok(cls.category && cls.subject && cls.purpose && cls.retention, `${table}.${column}`);
      } else {
        assert.ok(cls.why.length >= 3, `${table}.${column} needs a reason why it is not personal`);
      }
    }
  }
  assert.ok(personal >= 15, 'customers, tenants and audit addresses are catalogued as personal');
});
