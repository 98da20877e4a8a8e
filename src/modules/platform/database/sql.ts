import { Injectable } from '@nestjs/common';
import { type EntityMetadata, type EntityName } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';

/** The parameters of one statement, numbered as PostgreSQL numbers them ($1, $2, …). */
export class SqlParams {
  readonly values: unknown[] = [];

  /** The placeholder for a value, cast to a column type when given. */
  add(value: unknown, columnType?: string): string {
    this.values.push(value);
    return `$${this.values.length}${columnType ? `::${columnType}` : ''}`;
  }
}

/**
 * Plain SQL on the ORM's own connection pool, for the paths that run with every intake and every
 * change to a case. There one statement does what the unit of work would do in several round trips,
 * and each round trip costs a system call on each side (measured by `npm run bench:intake`).
 * Tables and columns come from the entities' metadata, so the SQL and the ORM cannot disagree on a
 * name or a type.
 */
@Injectable()
export class Sql {
  private pool?: Promise<pg.Pool>;

  constructor(private readonly orm: MikroORM) {}

  async query<Row extends object>(text: string, values: unknown[] = []): Promise<Row[]> {
    this.pool ??= this.orm.em.getConnection().getNativeClient();
    return (await (await this.pool).query<Row & pg.QueryResultRow>(text, values)).rows;
  }

  private metadata(entity: EntityName): EntityMetadata {
    return this.orm.getMetadata().get(entity);
  }

  table(entity: EntityName): string {
    return `"${this.metadata(entity).tableName}"`;
  }

  /**
   * `"table" ("column", …) values ($1::type, …), (…)` for rows given by property name: every value a
   * parameter, cast to its column's type (so the rows may also feed an `insert … select`).
   */
  rows(entity: EntityName, rows: Array<Record<string, unknown>>, params: SqlParams): { table: string; columns: string; values: string } {
    const meta = this.metadata(entity);
    const names = Object.keys(rows[0]);
    const props = names.map((name) => {
      const prop = meta.properties[name];
      if (!prop) throw new Error(`${meta.className} has no property ${name}`);
      return prop;
    });
    const values = rows.map((row) => `(${props.map((prop) => params.add(toColumnValue(row[prop.name], prop.columnTypes[0]), prop.columnTypes[0])).join(', ')})`);
    return { table: `"${meta.tableName}"`, columns: props.map((prop) => `"${prop.fieldNames[0]}"`).join(', '), values: values.join(', ') };
  }

  /** `"column" = $n::type, …` for the properties given. */
  assignments(entity: EntityName, values: Record<string, unknown>, params: SqlParams): string {
    const meta = this.metadata(entity);
    return Object.entries(values)
      .map(([name, value]) => {
        const prop = meta.properties[name];
        if (!prop) throw new Error(`${meta.className} has no property ${name}`);
        return `"${prop.fieldNames[0]}" = ${params.add(toColumnValue(value, prop.columnTypes[0]), prop.columnTypes[0])}`;
      })
      .join(', ');
  }
}

/** JSON columns take the text of the JSON; the driver maps arrays, dates and scalars itself. */
function toColumnValue(value: unknown, columnType: string): unknown {
  if (value === undefined || value === null) return null;
  return columnType === 'jsonb' || columnType === 'json' ? JSON.stringify(value) : value;
}
