/**
 * TextEncoder and TextDecoder as the trace readers use them. Node and every browser have them, but
 * no ES lib declares them, so tsconfig.core.json (ES only: no Node, no DOM) includes this; the
 * other configs get them from @types/node or the DOM lib.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
