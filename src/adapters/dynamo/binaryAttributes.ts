import type { AttributeValue, RawItem } from './attributeValue';

export function decodeBinaryItems(items: RawItem[]): RawItem[] {
  items.forEach(decodeBinaryItem);
  return items;
}

/** Binary values arrive base64-encoded; the port (like the SDK) holds them as bytes. */
export function decodeBinaryItem(item: RawItem): void {
  for (const value of Object.values(item)) decodeBinary(value);
}

/**
 * Turns base64 `B` and `BS` values into bytes, in place, at any depth. Anything that is not an attribute value
 * object is left for explode to judge (JSON that DynamoDB would not send, but must not crash the page).
 */
function decodeBinary(value: AttributeValue): void {
  if (typeof value !== 'object' || value === null) return;
  const wire = value as Record<string, unknown>;
  if (typeof wire.B === 'string') wire.B = fromBase64(wire.B);
  else if (Array.isArray(wire.BS)) wire.BS = wire.BS.map((v) => (typeof v === 'string' ? fromBase64(v) : v));
  else if (Array.isArray(wire.L)) (wire.L as AttributeValue[]).forEach(decodeBinary);
  else if (typeof wire.M === 'object' && wire.M !== null)
    Object.values(wire.M as RawItem).forEach(decodeBinary);
}

function fromBase64(text: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
