import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time.js';
import { type Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { caseSearchAttributeKeys } from '../../../workflows/search-attributes.js';

const cliTypeNames: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** `Name=Type` pairs, as the Temporal CLI's `--search-attribute` flag takes them. */
export function searchAttributeCliPairs(): string[] {
  return caseSearchAttributeKeys.map(({ name: attributeName, type }) => `${attributeName}=${cliTypeNames[type]}`);
}

const GRPC_UNIMPLEMENTED = 12;

// A CommonJS package: its namespace is reached through the default export under native ESM.
const { IndexedValueType } = proto.temporal.api.enums.v1;

const indexedValueTypes: Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * How many custom search attributes of each type SQL visibility (PostgreSQL, MySQL, SQLite) can
 * hold on a namespace: each type has a fixed number of columns. Elasticsearch has no such limit.
 */
export const sqlVisibilitySlots: Record<SearchAttributeType, number> = {
  [SearchAttributeType.BOOL]: 3,
  [SearchAttributeType.DATETIME]: 3,
  [SearchAttributeType.DOUBLE]: 3,
  [SearchAttributeType.INT]: 3,
  [SearchAttributeType.KEYWORD]: 10,
  [SearchAttributeType.KEYWORD_LIST]: 3,
  [SearchAttributeType.TEXT]: 3,
};

/** The case search attributes the namespace lacks (all of them where it cannot list its own). */
export async function missingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys({ ...existing.customAttributes, ...existing.systemAttributes }));
  return caseSearchAttributeKeys.filter((key) => !known.has(key.name)).map((key) => key.name);
}

/**
 * Registers the case search attributes on a namespace through the operator service (a production
 * namespace, or a test server): those already there are left alone. Answers the names it added.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  let known = new Set<string>();
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = new Set(Object.keys({ ...existing.customAttributes, ...existing.systemAttributes }));
  } catch (error) {
    // The time-skipping test server adds search attributes but cannot list them.
    if ((error as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw error;
  }
  const missing = caseSearchAttributeKeys.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueTypes[key.type]])),
  });
  return missing.map((key) => key.name);
}

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;

/**
 * Creates the namespace when it is missing, keeping closed workflows for `retentionDays` (the case
 * store's archive keeps every case's history beyond that), and waits until the server answers for
 * it (a cluster's frontends learn of a new namespace within seconds). Answers whether it created it.
 */
export async function ensureNamespace(connection: Connection, namespace: string, retentionDays: number, waitMs = 30_000): Promise<'created' | 'exists'> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return 'exists';
  } catch (error) {
    if ((error as { code?: number }).code !== GRPC_NOT_FOUND) throw error;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      description: 'Police contact cases',
      workflowExecutionRetentionPeriod: msToTs(retentionDays * 86_400_000),
    });
  } catch (error) {
    // Another set-up made it a moment ago: the namespace is there either way.
    if ((error as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw error;
    return 'exists';
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await connection.operatorService.listSearchAttributes({ namespace });
      return 'created';
    } catch (error) {
      if ((error as { code?: number }).code !== GRPC_NOT_FOUND || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
