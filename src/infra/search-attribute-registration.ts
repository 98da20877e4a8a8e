import { SearchAttributeType } from '@temporalio/common';
import { type Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { caseSearchAttributeKeys } from '../workflows/search-attributes.js';

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
