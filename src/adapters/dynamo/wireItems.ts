import type { RawItem } from './attributeValue';
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  isSpace,
  skipSpace,
  skipString,
  skipValue,
} from './jsonBytes';
import { decodeBinaryItem, decodeBinaryItems } from './binaryAttributes';
import { FlatItem } from './flatItem';

export { FLAT_LIST, FLAT_STRING, FLAT_STRING_SET, FlatItem } from './flatItem';
export { decodeBinaryItem } from './binaryAttributes';

/**
 * The `Items` of one Scan response, still as the response's UTF-8 bytes.
 *
 * Why: `JSON.parse` of a 1 MB page builds some 60,000 objects and strings (every list element is a `{"S": …}`
 * object), which explode reads once and drops; allocating and collecting them was most of the worker's CPU
 * in a million-item extract. Search items nearly always hold only strings and lists of strings, so
 * `forEach` reads such an item as byte ranges into one reused `FlatItem`, and parses only the others.
 */
export class WireItems {
  private parsed: RawItem[] | undefined;

  /** `start` is the index of the array's `[`, `end` the index just past its `]`. */
  constructor(
    readonly bytes: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** Every item as `RawItem` objects (parsed once, on first use). */
  items(): RawItem[] {
    this.parsed ??= decodeBinaryItems(
      JSON.parse(this.bytes.toString('utf8', this.start, this.end)) as RawItem[],
    );
    return this.parsed;
  }

  /**
   * Visits the items in order. `flat` is the item read as byte ranges when every attribute of it is a string
   * or a list of strings written without escapes, else null; it is reused for the next item, so read it during
   * the call only. `parse` returns the same item as a `RawItem`, whichever way it was read.
   */
  forEach(visit: (flat: FlatItem | null, parse: () => RawItem) => void): void {
    const bytes = this.bytes;
    const flat = new FlatItem(bytes);
    let at = skipSpace(bytes, this.start + 1);
    if (bytes[at] === CLOSE_BRACKET) return this.endsAt(at);
    for (;;) {
      const itemStart = at;
      let itemEnd = flat.read(at);
      const readFlat = itemEnd >= 0;
      if (!readFlat) itemEnd = skipValue(bytes, itemStart);
      visit(readFlat ? flat : null, () => this.parseItem(itemStart, itemEnd));
      at = skipSpace(bytes, itemEnd);
      if (bytes[at] === COMMA) at = skipSpace(bytes, at + 1);
      else if (bytes[at] === CLOSE_BRACKET) return this.endsAt(at);
      else throw new SyntaxError(`unexpected byte at ${at} of a Scan response's Items`);
    }
  }

  /** Checks that the walk's `]` at `at` is where `readWirePage` found the array to end (see `itemsEnd`). */
  private endsAt(at: number): void {
    if (at + 1 !== this.end) {
      throw new SyntaxError(
        `a Scan response's Items end at ${at + 1}, not at ${this.end} as its members said`,
      );
    }
  }

  private parseItem(start: number, end: number): RawItem {
    const item = JSON.parse(this.bytes.toString('utf8', start, end)) as RawItem;
    decodeBinaryItem(item);
    return item;
  }
}

/** What a Scan response holds besides its items. */
export interface WirePage {
  readonly items: WireItems;
  readonly count?: number;
  readonly scannedCount?: number;
  readonly lastEvaluatedKey?: RawItem;
}

/** Reads a Scan response body: its small members are parsed, its `Items` left as bytes. */
export function readWirePage(bytes: Buffer): WirePage {
  let at = skipSpace(bytes, 0);
  if (bytes[at] !== OPEN_BRACE) throw new SyntaxError('a Scan response is not a JSON object');
  let items: WireItems | undefined;
  const members: Record<string, unknown> = {};
  at = skipSpace(bytes, at + 1);
  while (bytes[at] !== CLOSE_BRACE) {
    const keyEnd = skipString(bytes, at);
    const key = JSON.parse(bytes.toString('utf8', at, keyEnd)) as string;
    at = skipSpace(bytes, keyEnd);
    if (bytes[at] !== COLON) throw new SyntaxError(`expected ':' at ${at} of a Scan response`);
    const valueStart = skipSpace(bytes, at + 1);
    const valueEnd = key === 'Items' ? itemsEnd(bytes, valueStart) : skipValue(bytes, valueStart);
    if (key === 'Items') {
      if (bytes[valueStart] !== OPEN_BRACKET)
        throw new SyntaxError("a Scan response's Items is not an array");
      items = new WireItems(bytes, valueStart, valueEnd);
    } else {
      members[key] = JSON.parse(bytes.toString('utf8', valueStart, valueEnd));
    }
    at = skipSpace(bytes, valueEnd);
    if (bytes[at] === COMMA) {
      at = skipSpace(bytes, at + 1);
      if (bytes[at] !== QUOTE) throw new SyntaxError(`expected a member name at ${at} of a Scan response`);
    } else if (bytes[at] !== CLOSE_BRACE) {
      throw new SyntaxError(`unexpected byte at ${at} of a Scan response`);
    }
  }
  if (skipSpace(bytes, at + 1) !== bytes.length)
    throw new SyntaxError('a Scan response has bytes after its end');
  const lastEvaluatedKey = members.LastEvaluatedKey as RawItem | undefined;
  if (lastEvaluatedKey) decodeBinaryItem(lastEvaluatedKey);
  return {
    items: items ?? new WireItems(Buffer.from('[]'), 0, 2),
    count: members.Count as number | undefined,
    scannedCount: members.ScannedCount as number | undefined,
    lastEvaluatedKey,
  };
}

/** `],"` : the end of an array, then the next member's name. */
const ARRAY_THEN_MEMBER = Buffer.from('],"');

/**
 * Where the `Items` array starting at `start` ends, found without walking it: `forEach` walks the ~1 MB of
 * items anyway (and checks this end when it gets there), and a first walk here was a tenth of the worker's CPU
 * in an extract. In DynamoDB's JSON every list is wrapped in an object (`{"L":[…]}`, `{"SS":[…]}`), so a `]`
 * directly followed by `,` and a member name occurs only where Items ends and the response's next member
 * begins; inside a string it cannot, as its quote would close the string and a closing quote is never
 * followed by a letter. With no such member after it, Items is the last member (as dynalite writes it), and
 * ends at the `]` before the response's closing brace. Anything else (spaced JSON, say) is walked.
 */
function itemsEnd(bytes: Buffer, start: number): number {
  for (
    let at = bytes.indexOf(ARRAY_THEN_MEMBER, start);
    at >= 0;
    at = bytes.indexOf(ARRAY_THEN_MEMBER, at + 1)
  ) {
    if (isLetter(bytes[at + 3])) return at + 1;
  }
  let last = bytes.length - 1;
  while (last > start && isSpace(bytes[last]!)) last--;
  if (bytes[last] === CLOSE_BRACE && bytes[last - 1] === CLOSE_BRACKET) return last;
  return skipValue(bytes, start);
}

function isLetter(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
}
