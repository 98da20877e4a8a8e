import { SearchAttributeType } from '@temporalio/common';
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
