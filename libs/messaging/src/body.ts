import { errorMessage } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A message body that is no JSON document; the message says what is wrong with it, for the dead-letter reason. */
export class InvalidBodyError extends Error {
  override readonly name = 'InvalidBodyError';
}

/** Decodes a message body as UTF-8 JSON, telling an empty, binary or non-JSON body apart. */
export function decodeJsonBody(data: Uint8Array): unknown {
  if (data.length === 0) throw new InvalidBodyError('the body is empty; a JSON document was expected');
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    throw new InvalidBodyError(`the body is not UTF-8 text (${data.length} bytes of binary data)`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8's message quotes at most the first few characters of the body, so it stays short.
    throw new InvalidBodyError(`the body is not JSON: ${errorMessage(err)}`);
  }
}
