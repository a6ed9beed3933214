/** A DynamoDB attribute value as it comes over the wire (only the shapes we read or write). */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { B: Uint8Array };

export type RawItem = Record<string, AttributeValue>;
