import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { DB } from './schema.js';

/** Stands for one of a prepared query's values while the query is built, once. */
class Slot {
  constructor(readonly name: string) {}
}

/** Stand-ins for every value a query takes, each named for its key. */
function standIns<Values>(): Values {
  return new Proxy({}, { get: (_target, name) => new Slot(String(name)) }) as Values;
}

/**
 * A query built and compiled to SQL once, then run with new values each time. Kysely builds a
 * tree of frozen nodes and compiles it again on every call, about 40 µs a query; the statements
 * every member page runs (session, suspension, unread notices, the story and its replies) spent
 * a tenth of a story page's time there.
 *
 * `build` gets stand-ins for the values: use them only where a value goes (a comparison, a
 * limit, an offset, a `sql` parameter), never to decide the query's shape (`$if`, an `in` list),
 * which would be fixed by the first call. The compiled SQL is the same on PGlite and PostgreSQL.
 */
export function prepared<Values extends object, Row>(
  build: (db: Kysely<DB>, values: Values) => Compilable<Row>,
) {
  let compiled: CompiledQuery<Row> | undefined;
  return async (db: Kysely<DB>, values: Values): Promise<Row[]> => {
    compiled ??= build(db, standIns<Values>()).compile();
    const parameters = compiled.parameters.map((parameter) =>
      parameter instanceof Slot ? values[parameter.name as keyof Values] : parameter,
    );
    const { rows } = await db.executeQuery<Row>({ ...compiled, parameters });
    return rows;
  };
}

/**
 * `prepared` for a query whose shape varies (its order, which filters it has): each shape is
 * built and compiled once, the first time it is asked for. `shape` may decide the query's form;
 * `values` only fill it in, as for `prepared`.
 */
export function preparedByShape<Shape, Values extends object, Row>(
  build: (db: Kysely<DB>, values: Values, shape: Shape) => Compilable<Row>,
) {
  const queries = new Map<string, (db: Kysely<DB>, values: Values) => Promise<Row[]>>();
  return (db: Kysely<DB>, shape: Shape, values: Values): Promise<Row[]> => {
    const key = JSON.stringify(shape);
    let query = queries.get(key);
    if (!query) {
      query = prepared((builder, stand: Values) => build(builder, stand, shape));
      queries.set(key, query);
    }
    return query(db, values);
  };
}
