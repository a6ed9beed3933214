import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { PermissionDeniedError } from '../errors';
import { REPORT_SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTES_FIX } from '../workflows/searchAttributes';

/** gRPC status codes that mean "this caller may not", not "the server is down". */
const NOT_ALLOWED = new Set([7 /* PERMISSION_DENIED */, 16 /* UNAUTHENTICATED */, 12 /* UNIMPLEMENTED */]);

function isNotAllowed(error: unknown): boolean {
  return NOT_ALLOWED.has((error as { code?: number })?.code ?? -1);
}

/** The names of libreport's search attributes the namespace does not have. */
export async function missingSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  let existing;
  try {
    existing = await client.connection.operatorService.listSearchAttributes({ namespace });
  } catch (error) {
    if (!isNotAllowed(error)) throw error;
    throw new PermissionDeniedError(
      `namespace "${namespace}": this identity may not list search attributes (OperatorService/ListSearchAttributes); ` +
        'grant it namespace read access, or register them elsewhere and set nothing here',
    );
  }
  return REPORT_SEARCH_ATTRIBUTES.filter((key) => !(key.name in (existing.customAttributes ?? {}))).map(
    (key) => key.name,
  );
}

/**
 * Whether runs may set the search attributes: true only when the namespace has every one. A starter passes
 * the answer in the run's input (`DailyReportInput.searchAttributes`), so a namespace nobody set up yet still
 * gets its reports, only without the Web UI filters.
 */
export async function searchAttributesUsable(client: Client, namespace: string): Promise<boolean> {
  try {
    return (await missingSearchAttributes(client, namespace)).length === 0;
  } catch (error) {
    // Cannot tell: running unmarked is safe, marking blind may fail every workflow task.
    if (error instanceof PermissionDeniedError) return false;
    throw error;
  }
}

/**
 * Registers libreport's search attributes on the namespace when missing; returns the names it added. The
 * local dev server gets them as start flags, but one started before they existed (and reused by `stack up`)
 * would lack them. On a shared cluster this needs operator rights: a refusal is a `PermissionDeniedError`
 * naming the permission.
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  const missing = await missingSearchAttributes(client, namespace);
  if (missing.length === 0) return [];
  try {
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
      ),
    });
  } catch (error) {
    if (!isNotAllowed(error)) throw error;
    throw new PermissionDeniedError(
      `namespace "${namespace}": adding search attributes ${missing.join(', ')} needs OperatorService/AddSearchAttributes ` +
        `(Temporal Cloud: a Namespace Admin API key or certificate); ${SEARCH_ATTRIBUTES_FIX.replace('<ns>', namespace)}`,
    );
  }
  return missing;
}
