import type { RawItem } from '../../../src/adapters/dynamo/port';
import {
  FLAT_LIST,
  FLAT_STRING,
  FLAT_STRING_SET,
  readWirePage,
} from '../../../src/adapters/dynamo/wireItems';

const page = (items: string, rest = '"Count":1,"ScannedCount":3') =>
  Buffer.from(`{${rest},"Items":[${items}]}`);

/** What `forEach` saw of each item: whether it was read flat, and the item `parse` gave. */
function visit(bytes: Buffer): { flat: boolean; item: RawItem }[] {
  const seen: { flat: boolean; item: RawItem }[] = [];
  readWirePage(bytes).items.forEach((flat, parse) => seen.push({ flat: flat !== null, item: parse() }));
  return seen;
}

describe('readWirePage', () => {
  it('reads the counts and the last key, decoding binary keys, in any member order and spacing', () => {
    const bytes = Buffer.from(
      ' {\n "LastEvaluatedKey" : {"query_id":{"S":"q-9"},"blob":{"B":"AQID"}},\t"Items":[ ], "ScannedCount": 7 ,"Count":0}',
    );
    const wire = readWirePage(bytes);
    expect(wire.count).toBe(0);
    expect(wire.scannedCount).toBe(7);
    expect(wire.lastEvaluatedKey).toEqual({ query_id: { S: 'q-9' }, blob: { B: new Uint8Array([1, 2, 3]) } });
    expect(wire.items.items()).toEqual([]);
    expect(visit(bytes)).toEqual([]);
  });

  it('gives every item exactly as JSON.parse does, binary decoded, whichever way it was read', () => {
    const items = [
      '{"query_id":{"S":"q-1"},"user_search":{"L":[{"S":"파이썬"},{"S":"flask"}]},"tags":{"SS":["a","b"]}}',
      '{"query_id":{"S":"q-\\"2\\""},"n":{"N":"5"}}',
      '{"query_id":{"S":"q-3"},"raw":{"B":"AAE="},"m":{"M":{"x":{"L":[{"BS":["AQ=="]}]}}}}',
      '{}',
    ];
    const bytes = page(items.join(' , '));
    const expected = (JSON.parse(`[${items.join(',')}]`) as RawItem[]).map((item, i) =>
      i === 2
        ? {
            ...item,
            raw: { B: new Uint8Array([0, 1]) },
            m: { M: { x: { L: [{ BS: [new Uint8Array([1])] }] } } },
          }
        : item,
    );
    expect(visit(bytes).map((v) => v.item)).toEqual(expected);
    expect(readWirePage(bytes).items.items()).toEqual(expected);
  });

  it('reads an item flat only when its text is exactly its bytes', () => {
    const flatOnes = [
      '{"a":{"S":"x"},"b":{"L":[]},"c":{"SS":["1","2"]}}',
      '{ "a" : { "S" : "한국어 🐍" } , "b" : { "L" : [ { "S" : "" } ] } }',
      '{}',
    ];
    const notFlat = [
      '{"a":{"S":"tab\\tseparated"}}', // an escape: the text differs from the bytes
      '{"a":{"N":"1"}}',
      '{"a":{"L":[{"N":"1"}]}}',
      '{"a":{"S":"x","N":"1"}}',
      '{"a":{"M":{}}}',
      '{"a\\u0062":{"S":"x"}}',
      '{"a":{"L":[{"S":"x"},{"L":[]}]}}',
    ];
    const seen = visit(page([...flatOnes, ...notFlat].join(',')));
    expect(seen.map((v) => v.flat)).toEqual([...flatOnes.map(() => true), ...notFlat.map(() => false)]);
  });

  it('does not read invalid UTF-8 flat, so both ways decode it to the same replacement characters', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"Items":[{"a":{"S":"ok'),
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
      Buffer.from('"}},{"a":{"S":"'),
      Buffer.from([0xc0, 0xaf]), // an overlong '/'
      Buffer.from('"}},{"a":{"S":"'),
      Buffer.from([0xf0, 0x9f, 0x90, 0x8d]), // 🐍, valid
      Buffer.from('"}}]}'),
    ]);
    const seen = visit(bytes);
    expect(seen.map((v) => v.flat)).toEqual([false, false, true]);
    expect(seen.map((v) => v.item)).toEqual(JSON.parse(bytes.toString('utf8')).Items);
  });

  it('exposes each flat attribute as a byte range and each list as element ranges', () => {
    const bytes = page('{"id":{"S":"q-1"},"libs":{"L":[{"S":"노원"},{"S":"마포"}]},"set":{"SS":["z"]}}');
    let checked = false;
    readWirePage(bytes).items.forEach((flat) => {
      if (!flat) throw new Error('expected a flat item');
      const id = flat.find(Buffer.from('id'));
      expect(flat.kind(id)).toBe(FLAT_STRING);
      expect(flat.text(flat.textStart(id), flat.textEnd(id))).toBe('q-1');
      const libs = flat.find(Buffer.from('libs'));
      expect(flat.kind(libs)).toBe(FLAT_LIST);
      const texts = [];
      for (let e = flat.firstElement(libs); e < flat.elementsEnd(libs); e++) {
        texts.push(flat.text(flat.elementStart[e]!, flat.elementEnd[e]!));
      }
      expect(texts).toEqual(['노원', '마포']);
      expect(flat.kind(flat.find(Buffer.from('set')))).toBe(FLAT_STRING_SET);
      expect(flat.find(Buffer.from('missing'))).toBe(-1);
      checked = true;
    });
    expect(checked).toBe(true);
  });

  it('reports a name given twice, which JSON.parse would resolve to the last', () => {
    const bytes = page('{"a":{"S":"first"},"a":{"S":"last"}}');
    readWirePage(bytes).items.forEach((flat, parse) => {
      expect(flat!.find(Buffer.from('a'))).toBe(-2);
      expect(parse()).toEqual({ a: { S: 'last' } });
    });
  });

  it('leaves values that are not attribute values for explode to judge, rather than failing the page', () => {
    const items = [
      '{"a":"bare","b":null,"c":{"L":[{"S":"x"},"bare",null]},"d":{"M":{"x":1}},"e":{"B":"AQ=="}}',
    ];
    const parsed = visit(page(items.join(','))).map((v) => v.item);
    expect(parsed).toEqual([
      {
        a: 'bare',
        b: null,
        c: { L: [{ S: 'x' }, 'bare', null] },
        d: { M: { x: 1 } },
        e: { B: new Uint8Array([1]) },
      },
    ]);
  });

  it('finds where Items ends when members follow it, past strings that end in "],"', () => {
    const items = [
      '{"query_id":{"S":"q-1],"},"user_search":{"L":[{"S":"a],"},{"S":"],\\"Count\\":9"}]}}',
      '{"query_id":{"S":"q-2"},"tags":{"SS":["x]","],"]}}',
    ];
    const bytes = Buffer.from(
      `{"Count":2,"Items":[${items.join(',')}],"LastEvaluatedKey":{"query_id":{"S":"q-2"}},"ScannedCount":5}`,
    );
    const wire = readWirePage(bytes);
    expect(wire.count).toBe(2);
    expect(wire.scannedCount).toBe(5);
    expect(wire.lastEvaluatedKey).toEqual({ query_id: { S: 'q-2' } });
    const expected = JSON.parse(`[${items.join(',')}]`) as RawItem[];
    expect(visit(bytes).map((v) => v.item)).toEqual(expected);
    expect(wire.items.items()).toEqual(expected);
  });

  it('fails on a malformed page rather than losing items', () => {
    expect(() =>
      readWirePage(Buffer.from('{"Items":[{"a":{"S":"x"}}],"Odd":1,{"b":{"S":"y"}}],"Count":1}')),
    ).toThrow(SyntaxError);
    expect(() => readWirePage(Buffer.from('{"Items":[],"Count":0,}'))).toThrow(SyntaxError);
    expect(() => readWirePage(Buffer.from('{"Items":[],"Count":0} trailing'))).toThrow(SyntaxError);
    expect(() => readWirePage(Buffer.from('{"Items":{"a":1}}'))).toThrow(SyntaxError);
    expect(() => visit(page('{"a":{"S":"x"}} {"b":{"S":"y"}}'))).toThrow(SyntaxError);
    expect(() => visit(page('{"a":{"S":"x"},}'))).toThrow(SyntaxError);
    expect(() => readWirePage(Buffer.from('{"Items":[{"a":{"S":"x'))).toThrow(SyntaxError);
  });
});
