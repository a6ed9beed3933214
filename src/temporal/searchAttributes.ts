import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { REPORT_SEARCH_ATTRIBUTES } from '../workflows/searchAttributes';

/**
 * Registers libreport's search attributes on the namespace when missing. The local dev server gets them as
 * start flags, but one started before they existed (and reused by `stack up`) would fail every run that sets
 * them. On a shared cluster this needs operator rights; the README gives the equivalent CLI command.
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  const operator = client.connection.operatorService;
  const existing = await operator.listSearchAttributes({ namespace });
  const missing = REPORT_SEARCH_ATTRIBUTES.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return [];
  await operator.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
  return missing.map((key) => key.name);
}
