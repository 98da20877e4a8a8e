import { Injectable } from '@nestjs/common';
import { type InferKyselyDB, type Kysely, MikroORM } from '@mikro-orm/postgresql';
import { type Insertable, type RawBuilder, sql } from 'kysely';
import { entities } from './entities.js';

/**
 * Every table the store keeps, as Kysely sees it: inferred from the entities, so a statement that
 * names a table or a column that does not exist, or gives a column a value of the wrong type, does
 * not compile.
 */
export type StoreTables = InferKyselyDB<(typeof entities)[number]>;
export type StoreTable = keyof StoreTables;
export type StoreDb = Kysely<StoreTables>;

/** A column of a table: its name and its database type. */
export interface StoreColumn {
  column: string;
  type: string;
}

/**
 * The one typed path to the case store beside the entity manager: MikroORM's own Kysely instance
 * (the one its driver runs on, on the same pool), typed from the entities.
 */
@Injectable()
export class StoreDatabase {
  private kysely?: StoreDb;
  private tables?: { tables: Map<string, ReadonlyMap<string, StoreColumn>>; types: Map<string, string> };

  constructor(private readonly orm: MikroORM) {}

  /**
   * Values are converted as the entities declare them, both ways (a JSON column takes an object, a
   * timestamp reads as a `Date`), so the types Kysely infers are the values a statement sees.
   */
  get db(): StoreDb {
    this.kysely ??= this.orm.em.getKysely<StoreTables>({ convertValues: true });
    return this.kysely;
  }

  /**
   * Runs a statement composed with Kysely's `sql` of typed steps (a with-query whose steps are
   * builders of `db`): each step converted its own values when it was built, so the whole runs
   * without converting them again.
   */
  async run<Row>(statement: RawBuilder<Row>): Promise<Row[]> {
    return (await statement.execute(this.orm.em.getKysely())).rows;
  }

  /** The columns of `table` by the entity property each holds, with their database types (from the entity's metadata). */
  columns(table: StoreTable): ReadonlyMap<string, StoreColumn> {
    const columns = this.schema().tables.get(table);
    if (!columns) throw new Error(`No table ${table}`);
    return columns;
  }

  /** The database type of a column of `table` (for casts in a `values` list). */
  columnType(table: StoreTable, column: string): string {
    const type = this.schema().types.get(`${table}.${column}`);
    if (!type) throw new Error(`${table} has no column ${column}`);
    return type;
  }

  /** Each table's columns, read from the entities' metadata once. */
  private schema() {
    if (!this.tables) {
      const tables = new Map<string, ReadonlyMap<string, StoreColumn>>();
      const types = new Map<string, string>();
      for (const entity of this.orm.getMetadata().getAll().values()) {
        const columns = new Map<string, StoreColumn>();
        for (const prop of Object.values(entity.properties)) {
          if (prop.fieldNames?.length !== 1) continue;
          columns.set(prop.name, { column: prop.fieldNames[0], type: prop.columnTypes[0] });
          types.set(`${entity.tableName}.${prop.fieldNames[0]}`, prop.columnTypes[0]);
        }
        tables.set(entity.tableName, columns);
      }
      this.tables = { tables, types };
    }
    return this.tables;
  }

  /**
   * `(columns) select * from (values (…), (…)) as v` for rows of `table`, each value a parameter cast
   * to its column's type, so the rows can be inserted under a guard (`where exists (…)`) in one
   * statement with the change they belong to. Typed: a row that does not fit the table does not
   * compile.
   */
  guardedRows<T extends StoreTable>(table: T, rows: ReadonlyArray<Insertable<StoreTables[T]>>, guard: RawBuilder<unknown>): RawBuilder<unknown> {
    const columns = Object.keys(rows[0]);
    const types = columns.map((column) => this.columnType(table, column));
    const values = rows.map(
      (row) => sql`(${sql.join(columns.map((column, index) => sql`${toColumnValue((row as Record<string, unknown>)[column], types[index])}::${sql.raw(types[index])}`))})`,
    );
    return sql`insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) select * from (values ${sql.join(values)}) as v where ${guard}`;
  }
}

/** JSON columns take the text of the JSON; the driver maps arrays, dates and scalars itself. */
export function toColumnValue(value: unknown, columnType: string): unknown {
  if (value === undefined || value === null) return null;
  return columnType === 'jsonb' || columnType === 'json' ? JSON.stringify(value) : value;
}

/** `count(*)` as a JavaScript number (PostgreSQL counts in bigint, which the driver reads as text). */
export const countRows = () => sql<number>`count(*)::int`;
