import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { searchAttributeKeys } from '../workflows/search-attributes';

const cliTypes: Record<string, string> = { KEYWORD: 'Keyword', DATETIME: 'Datetime', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', KEYWORD_LIST: 'KeywordList' };
const { IndexedValueType } = temporal.api.enums.v1;
const GRPC_UNIMPLEMENTED = 12;
const indexedTypes: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The project's search attributes as the dev server's `--search-attribute Name=Type` arguments. */
export function searchAttributeArgs(): string[] {
  return searchAttributeKeys.map((key) => `${key.name}=${cliTypes[key.type] ?? key.type}`);
}

/**
 * Registers the search attributes on a server started some other way (a cluster, the time-skipping test server).
 * Those already there are left alone, so it is safe at every start. The Java test server cannot list them
 * (UNIMPLEMENTED), so there all are added at once.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  let known = new Set<string>();
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = new Set(Object.keys(existing.customAttributes ?? {}));
  } catch (error) {
    if ((error as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw error;
  }
  const missing = searchAttributeKeys.filter((key) => !known.has(key.name));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedTypes[key.type]!])),
  });
}
