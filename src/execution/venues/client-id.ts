/**
 * Client order ids derived from the caller's id: the same (run, order) always gives the same venue
 * id, so a retry after a timeout or a resumed run finds the order it already placed instead of
 * placing a second one. The id is a name-based UUID (RFC 9562 §5.5, version 5: SHA-1 of a namespace
 * and the name), a format all three venues accept: Binance takes up to 36 characters of
 * [A-Za-z0-9.:/_-], Kraken's cl_ord_id takes a UUID, Alpaca's client_order_id up to 128 characters.
 */
import { createHash } from 'node:crypto';

/** Our namespace UUID (random once, fixed for ever: changing it would orphan every resumed order). */
const NAMESPACE = Buffer.from('6f1c2d0e8a7b4c3d9e5f10a2b3c4d5e6', 'hex');

export function venueClientOrderId(runId: string, clientId: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${runId}\u0000${clientId}`, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
